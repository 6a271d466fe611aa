// SPDX-License-Identifier: GPL-2.0-or-later
//
// cni-driver: drives a CNI network configuration list through Debian's libcni (1.1.2,
// spec 1.0.0) the way containerd 1.x, CRI-O and podman 4 do, for N containers whose
// network namespaces already exist. One JSON object per operation on stdout.
//
// Build (Debian 12: golang-go, golang-github-appc-cni-dev):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o cni-driver .
//
// Usage:
//
//	cni-driver [flags] CONFLIST OP NETNS...      OP: add, check, del, round
//	cni-driver [flags] CONFLIST gc [ID...]       IDs of the attachments still valid
//	cni-driver [flags] CONFLIST status
//	cni-driver [flags] CONFLIST version          VERSION of every plugin (ValidateNetworkList)
//
// Container I (0-based, in the order of the NETNS arguments) has the ID PREFIX-I, the
// interface -ifname, and, with -hostport B, the port mapping B+I -> -containerport (tcp).
// "round" is ADD, CHECK, DEL, DEL per container, as a runtime's lifecycle.
//
// libcni 1.1.2 has no GC and no STATUS (they came with libcni 1.2 / spec 1.1.0). "gc" and
// "status" here do what libcni 1.2 does, by hand: each plugin of the list gets the
// configuration with name and cniVersion injected (and, for GC, the valid attachments under
// both "cni.dev/valid-attachments" and "cni.dev/attachments", as libcni 1.2.3 sends them),
// CNI_COMMAND=GC or STATUS, CNI_PATH; GC goes on past a failing plugin, STATUS stops at the
// first. libcni 1.2's GC also first DELs every cached attachment not in the valid list:
// -gc-del does that too, from this driver's cache.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/ioutil"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/containernetworking/cni/libcni"
	"github.com/containernetworking/cni/pkg/invoke"
	"github.com/containernetworking/cni/pkg/types"
)

type portMapping struct {
	HostPort      int    `json:"hostPort"`
	ContainerPort int    `json:"containerPort"`
	Protocol      string `json:"protocol"`
}

type record struct {
	Op        string      `json:"op"`
	Container string      `json:"container,omitempty"`
	NetNS     string      `json:"netns,omitempty"`
	Plugin    string      `json:"plugin,omitempty"`
	Ms        float64     `json:"ms"`
	OK        bool        `json:"ok"`
	Result    interface{} `json:"result,omitempty"`
	Versions  []string    `json:"versions,omitempty"`
	Error     interface{} `json:"error,omitempty"`
}

var (
	pluginPath    = flag.String("path", "/usr/lib/cni", "CNI_PATH: plugin directories, ':'-separated")
	cacheDir      = flag.String("cachedir", "/run/cni-driver", "libcni's result cache (never /var/lib/cni here)")
	prefix        = flag.String("prefix", "drv", "container ID prefix")
	ifname        = flag.String("ifname", "eth0", "CNI_IFNAME")
	hostPort      = flag.Int("hostport", 0, "first host port (0: no port mappings)")
	containerPort = flag.Int("containerport", 80, "container port of the mappings")
	cniArgs       = flag.String("args", "", "CNI_ARGS, {i} replaced by the container index, e.g. 'IgnoreUnknown=1;K8S_POD_NAME=pod{i}'")
	ipsArg        = flag.String("ips", "", "runtimeConfig ips (capability \"ips\"), {i} replaced, ','-separated")
	macArg        = flag.String("mac", "", "runtimeConfig mac (capability \"mac\"), {i} replaced by the index in hex")
	gcDel         = flag.Bool("gc-del", false, "gc: first DEL the cached attachments not listed, as libcni 1.2 does")
)

func emit(r record) {
	b, err := json.Marshal(r)
	if err != nil {
		fmt.Fprintf(os.Stderr, "cni-driver: %v\n", err)
		os.Exit(1)
	}
	fmt.Println(string(b))
}

// errValue keeps a plugin's CNI error object as it came (code, msg, details).
func errValue(err error) interface{} {
	var te *types.Error
	if errors.As(err, &te) {
		return te
	}
	return err.Error()
}

func since(t time.Time) float64 {
	return float64(time.Since(t).Microseconds()) / 1000
}

func subst(s string, i int, hex bool) string {
	v := strconv.Itoa(i)
	if hex {
		v = fmt.Sprintf("%02x", i&0xff)
	}
	return strings.ReplaceAll(s, "{i}", v)
}

func runtimeConf(i int, netns string) *libcni.RuntimeConf {
	rt := &libcni.RuntimeConf{
		ContainerID:    fmt.Sprintf("%s-%d", *prefix, i),
		NetNS:          netns,
		IfName:         *ifname,
		CapabilityArgs: map[string]interface{}{},
	}
	if *cniArgs != "" {
		for _, kv := range strings.Split(subst(*cniArgs, i, false), ";") {
			if p := strings.SplitN(kv, "=", 2); len(p) == 2 {
				rt.Args = append(rt.Args, [2]string{p[0], p[1]})
			}
		}
	}
	if *hostPort > 0 {
		rt.CapabilityArgs["portMappings"] = []portMapping{{*hostPort + i, *containerPort, "tcp"}}
	}
	if *ipsArg != "" {
		rt.CapabilityArgs["ips"] = strings.Split(subst(*ipsArg, i, false), ",")
	}
	if *macArg != "" {
		rt.CapabilityArgs["mac"] = subst(*macArg, i, true)
	}
	return rt
}

func lifecycle(cni *libcni.CNIConfig, list *libcni.NetworkConfigList, op string, netns []string) bool {
	ok := true
	steps := []string{op}
	if op == "round" {
		steps = []string{"add", "check", "del", "del"}
	}
	ctx := context.Background()
	for i, ns := range netns {
		rt := runtimeConf(i, ns)
		for _, s := range steps {
			r := record{Op: strings.ToUpper(s), Container: rt.ContainerID, NetNS: ns}
			t := time.Now()
			var err error
			switch s {
			case "add":
				var res types.Result
				res, err = cni.AddNetworkList(ctx, list, rt)
				r.Result = res
			case "check":
				err = cni.CheckNetworkList(ctx, list, rt)
			case "del":
				err = cni.DelNetworkList(ctx, list, rt)
			}
			r.Ms = since(t)
			r.OK = err == nil
			if err != nil {
				r.Error = errValue(err)
				ok = false
			}
			emit(r)
		}
	}
	return ok
}

// perPlugin runs COMMAND on every plugin of the list with extra keys injected, as libcni 1.2
// runs GC and STATUS.
func perPlugin(cni *libcni.CNIConfig, list *libcni.NetworkConfigList, command string,
	inject map[string]interface{}) bool {
	ok := true
	ctx := context.Background()
	for _, p := range list.Plugins {
		r := record{Op: command, Plugin: p.Network.Type}
		t := time.Now()
		conf, err := libcni.InjectConf(p, inject)
		if err == nil {
			var path string
			path, err = invoke.FindInPath(p.Network.Type, cni.Path)
			if err == nil {
				args := &invoke.Args{Command: command, Path: strings.Join(cni.Path, ":")}
				err = invoke.ExecPluginWithoutResult(ctx, path, conf.Bytes, args, nil)
			}
		}
		r.Ms = since(t)
		r.OK = err == nil
		if err != nil {
			r.Error = errValue(err)
			ok = false
		}
		emit(r)
		if err != nil && command == "STATUS" {
			break
		}
	}
	return ok
}

// gcAttachment is one entry of "cni.dev/valid-attachments" (libcni 1.2's types.GCAttachment;
// 1.1.2 has no such type).
type gcAttachment struct {
	ContainerID string `json:"containerID"`
	IfName      string `json:"ifname"`
}

type cachedAttachment struct {
	ContainerID string                 `json:"containerId"`
	IfName      string                 `json:"ifName"`
	NetworkName string                 `json:"networkName"`
	CniArgs     [][2]string            `json:"cniArgs"`
	CapArgs     map[string]interface{} `json:"capabilityArgs"`
}

// gcDelStale DELs every attachment of this network in the cache that is not in keep, from
// the cached arguments (libcni 1.1.2's cache does not keep the netns path: DEL goes
// without CNI_NETNS, as after a reboot).
func gcDelStale(cni *libcni.CNIConfig, list *libcni.NetworkConfigList, keep map[string]bool) bool {
	ok := true
	files, _ := filepath.Glob(filepath.Join(*cacheDir, "results", list.Name+"-*"))
	for _, f := range files {
		data, err := ioutil.ReadFile(f)
		if err != nil {
			continue
		}
		var c cachedAttachment
		if json.Unmarshal(data, &c) != nil || c.NetworkName != list.Name {
			continue
		}
		if keep[c.ContainerID+"/"+c.IfName] {
			continue
		}
		rt := &libcni.RuntimeConf{ContainerID: c.ContainerID, IfName: c.IfName,
			Args: c.CniArgs, CapabilityArgs: c.CapArgs}
		t := time.Now()
		err = cni.DelNetworkList(context.Background(), list, rt)
		r := record{Op: "DEL", Container: c.ContainerID, Ms: since(t), OK: err == nil}
		if err != nil {
			r.Error = errValue(err)
			ok = false
		}
		emit(r)
	}
	return ok
}

func main() {
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: cni-driver [flags] CONFLIST add|check|del|round NETNS...\n"+
			"       cni-driver [flags] CONFLIST gc [ID...] | status | version\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() < 2 {
		flag.Usage()
		os.Exit(2)
	}
	list, err := libcni.ConfListFromFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "cni-driver: %s: %v\n", flag.Arg(0), err)
		os.Exit(2)
	}
	cni := libcni.NewCNIConfigWithCacheDir(filepath.SplitList(*pluginPath), *cacheDir, nil)
	op, rest := flag.Arg(1), flag.Args()[2:]
	ok := true
	switch op {
	case "add", "check", "del", "round":
		ok = lifecycle(cni, list, op, rest)
	case "gc":
		valid := []gcAttachment{}
		keep := map[string]bool{}
		for _, id := range rest {
			valid = append(valid, gcAttachment{ContainerID: id, IfName: *ifname})
			keep[id+"/"+*ifname] = true
		}
		if *gcDel {
			ok = gcDelStale(cni, list, keep)
		}
		ok = perPlugin(cni, list, "GC", map[string]interface{}{
			"name": list.Name, "cniVersion": list.CNIVersion,
			"cni.dev/valid-attachments": valid, "cni.dev/attachments": valid,
		}) && ok
	case "status":
		ok = perPlugin(cni, list, "STATUS", map[string]interface{}{
			"name": list.Name, "cniVersion": list.CNIVersion,
		})
	case "version":
		t := time.Now()
		_, err := cni.ValidateNetworkList(context.Background(), list)
		r := record{Op: "VALIDATE", Ms: since(t), OK: err == nil}
		if err != nil {
			r.Error = errValue(err)
			ok = false
		}
		emit(r)
		for _, p := range list.Plugins {
			vi, err := cni.GetVersionInfo(context.Background(), p.Network.Type)
			r := record{Op: "VERSION", Plugin: p.Network.Type, OK: err == nil}
			if err != nil {
				r.Error = errValue(err)
				ok = false
			} else {
				r.Versions = vi.SupportedVersions()
			}
			emit(r)
		}
	default:
		flag.Usage()
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}
