// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The CNI plugin's pure parts (core/cni.h, cni-plan.h, ipam.h), without
 * root: the variables each command requires, every class of refusal with
 * its code, CNI_ARGS, runtimeConfig and their precedence, GC's two keys,
 * results in each version (and prevResult kept), errors in the version
 * asked, nsnet's address pool, records read back as untrusted input, the
 * nft elements of an attachment, and the plans of ADD and DEL.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/cni-plan.h"
#include "core/cni.h"
#include "core/ipam.h"

#define CONF(extra)                                                                                \
	"{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"nsnet\",\"bridge\":\"nsbr9\","    \
	"\"ipMasq\":true,\"ipam\":{\"type\":\"nsnet\",\"subnet\":\"10.89.0.0/24\","              \
	"\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}" extra "}"

static const struct cni_env add_env = {"ADD", "c1", "/run/netns/c1", "eth0", NULL, NULL};

/* Parses conf with env; returns the error code (0: accepted), rq filled. */
static int parse(const struct cni_env *env, const char *conf, struct cni_request *rq,
		 struct cni_error *ce)
{
	memset(ce, 0, sizeof(*ce));
	if (cni_request_parse(env, conf, strlen(conf), rq, ce) < 0) {
		assert_true(ce->code > 0);
		assert_true(ce->msg[0] != '\0');
		return ce->code;
	}
	return 0;
}

/* code is what conf gets with env, and the message holds want. */
static void expect(const struct cni_env *env, const char *conf, int code, const char *want)
{
	struct cni_request rq;
	struct cni_error ce;
	int got = parse(env, conf, &rq, &ce);

	if (got != code || (want && !strstr(ce.msg, want) && !strstr(ce.details, want)))
		fail_msg("%s\n  wanted code %d with '%s', got %d: %s", conf, code, want ? want : "",
			 got, ce.msg);
	cni_request_clear(&rq);
}

static void test_env(void **state)
{
	struct cni_env e = add_env;
	char *envp[] = {"CNI_COMMAND=DEL", "CNI_NETNS=", "CNI_IFNAME=eth0", "PATH=/bin", NULL};
	struct cni_env got;

	(void)state;
	cni_env_from(envp, &got);
	assert_string_equal(got.command, "DEL");
	assert_null(got.netns); /* set but empty: absent, as libcni sends it */
	assert_null(got.container_id);
	expect(&e, CONF(""), 0, NULL);
	e.command = NULL;
	expect(&e, CONF(""), CNI_ERR_ENV, "[CNI_COMMAND]");
	e.command = "FROB";
	expect(&e, CONF(""), CNI_ERR_ENV, "unknown CNI_COMMAND: FROB");
	e = add_env;
	e.netns = e.ifname = NULL;
	expect(&e, CONF(""), CNI_ERR_ENV, "[CNI_NETNS CNI_IFNAME]");
	e = add_env;
	e.command = "DEL";
	e.netns = NULL; /* DEL without a namespace: containerd and nerdctl send it empty */
	expect(&e, CONF(""), 0, NULL);
	e.container_id = "bad/id";
	expect(&e, CONF(""), CNI_ERR_ENV, "CNI_CONTAINERID");
	e.container_id = "c1";
	e.ifname = "much-too-long-name0";
	expect(&e, CONF(""), CNI_ERR_ENV, "CNI_IFNAME");
	e.ifname = "eth0";
	e.netns = "relative/path";
	expect(&e, CONF(""), CNI_ERR_ENV, "CNI_NETNS");
	/* STATUS and GC need no container; VERSION looks at nothing but cniVersion. */
	e = (struct cni_env){.command = "STATUS"};
	expect(&e, "{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"ipam\":{\"type\":\"x\"}}", 0, NULL);
	e = (struct cni_env){"VERSION", NULL, "dummy", "dummy", NULL, "dummy"};
	expect(&e, "{\"cniVersion\":\"1.0.0\"}", 0, NULL);
}

static void test_refusals(void **state)
{
	(void)state;
	expect(&add_env, "not json", CNI_ERR_DECODE, "decoding");
	expect(&add_env, "[1]", CNI_ERR_DECODE, "object");
	expect(&add_env, "{\"name\":\"n\",\"name\":\"m\"}", CNI_ERR_DECODE, "duplicate");
	expect(&add_env, "{\"name\":\"n\"}", CNI_ERR_VERSION, "cniVersion");
	expect(&add_env, "{\"cniVersion\":\"9.9.9\",\"name\":\"n\"}", CNI_ERR_VERSION, "9.9.9");
	expect(&(struct cni_env){"CHECK", "c1", "/x", "eth0", NULL, NULL},
	       "{\"cniVersion\":\"0.3.1\",\"name\":\"n\"}", CNI_ERR_VERSION, "CHECK");
	expect(&(struct cni_env){"GC", NULL, NULL, NULL, NULL, "/x"},
	       "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}", CNI_ERR_VERSION, "GC");
	expect(&add_env, "{\"cniVersion\":\"1.0.0\"}", CNI_ERR_CONFIG, "missing network name");
	expect(&add_env, "{\"cniVersion\":\"1.0.0\",\"name\":\"a b\"}", CNI_ERR_CONFIG, "name");
	expect(&add_env, "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}", CNI_ERR_CONFIG, "ipam");
	expect(&add_env, CONF(",\"mtu\":10"), CNI_ERR_CONFIG, "mtu");
	expect(&add_env, CONF(",\"isGateway\":\"yes\""), CNI_ERR_CONFIG, "isGateway");
	expect(&add_env, "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"bridge\":\"a;b\"}",
	       CNI_ERR_CONFIG, "bridge");
	expect(&add_env, CONF(",\"vlan\":10"), CNI_ERR_UNSUPPORTED, "vlan");
	expect(&add_env,
	       "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"ipam\":{\"type\":\"nsnet\","
	       "\"subnet\":\"10.0.0.0/8\",\"gateway\":\"11.0.0.1\"}}",
	       CNI_ERR_CONFIG, "outside");
	expect(&add_env,
	       "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"ipam\":{\"type\":\"nsnet\","
	       "\"ranges\":[]}}",
	       CNI_ERR_UNSUPPORTED, "ranges");
	expect(&add_env,
	       "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"ipam\":{\"type\":\"nsnet\","
	       "\"subnet\":\"10.0.0.0/31\"}}",
	       CNI_ERR_CONFIG, "/31");
	expect(&add_env,
	       "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"ipam\":{\"type\":\"nsnet\","
	       "\"subnet\":\"10.0.0.0/24\",\"dataDir\":\"/run/../etc\"}}",
	       CNI_ERR_CONFIG, "dataDir");
	expect(&add_env, "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"ipam\":{\"type\":\"../x\"}}",
	       CNI_ERR_CONFIG, "path");
	expect(&add_env, CONF(",\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":0,"
			      "\"containerPort\":80}]}"),
	       CNI_ERR_CONFIG, "hostPort");
	expect(&add_env, CONF(",\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":80,"
			      "\"containerPort\":80,\"protocol\":\"sctp\"}]}"),
	       CNI_ERR_UNSUPPORTED, "sctp");
	expect(&add_env, CONF(",\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":80,"
			      "\"containerPort\":80},{\"hostPort\":80,\"containerPort\":81}]}"),
	       CNI_ERR_CONFIG, "twice");
	expect(&add_env, CONF(",\"runtimeConfig\":{\"mac\":\"01:00:00:00:00:01\"}"),
	       CNI_ERR_CONFIG, "mac");
	expect(&add_env, CONF(",\"prevResult\":[]"), CNI_ERR_DECODE, "prevResult");
	/* Unknown keys are ignored, as CNI's conventions say; capabilities and args too. */
	expect(&add_env, CONF(",\"frob\":1,\"capabilities\":{\"ips\":true},\"args\":{\"x\":1}"), 0,
	       NULL);
}

static void test_args(void **state)
{
	struct cni_env e = add_env;
	struct cni_request rq;
	struct cni_error ce;
	char s[PREFIX_STR_MAX];

	(void)state;
	e.args = "IgnoreUnknown=1;K8S_POD_NAME=web;FOO=bar;IP=10.89.0.7;MAC=0a:58:0a:58:00:99";
	assert_int_equal(parse(&e, CONF(""), &rq, &ce), 0);
	assert_int_equal(rq.n_ips, 1);
	inet_prefix_format(&rq.ips[0], s, sizeof(s));
	assert_string_equal(s, "10.89.0.7/0"); /* no prefix length given */
	assert_true(rq.has_mac && rq.mac[5] == 0x99);
	cni_request_clear(&rq);
	e.args = "K8S_POD_NAME=web;FOO=bar";
	expect(&e, CONF(""), CNI_ERR_CONFIG, "FOO");
	e.args = "IgnoreUnknown=1;novalue";
	expect(&e, CONF(""), CNI_ERR_CONFIG, "invalid pair");
	/* runtimeConfig.ips wins over CNI_ARGS' IP; runtimeConfig.mac over CNI_ARGS' MAC. */
	e.args = "IP=10.89.0.7;MAC=0a:00:00:00:00:01";
	assert_int_equal(parse(&e, CONF(",\"runtimeConfig\":{\"ips\":[\"10.89.0.8\","
					"\"10.89.0.9/24\"],\"mac\":\"0a:00:00:00:00:02\"}"),
			       &rq, &ce),
			 0);
	assert_int_equal(rq.n_ips, 2);
	inet_prefix_format(&rq.ips[1], s, sizeof(s));
	assert_string_equal(s, "10.89.0.9/24");
	assert_int_equal(rq.mac[5], 2);
	cni_request_clear(&rq);
}

static void test_gc(void **state)
{
	struct cni_env e = {.command = "GC", .path = "/opt/cni/bin"};
	struct cni_request rq;
	struct cni_error ce;

	(void)state;
	assert_int_equal(parse(&e, "{\"cniVersion\":\"1.1.0\",\"name\":\"n\","
				   "\"cni.dev/valid-attachments\":[{\"containerID\":\"a\","
				   "\"ifname\":\"eth0\"}]}",
			       &rq, &ce),
			 0);
	assert_int_equal(rq.n_valid, 1);
	assert_string_equal(rq.valid[0].container_id, "a");
	cni_request_clear(&rq);
	assert_int_equal(parse(&e, "{\"cniVersion\":\"1.1.0\",\"name\":\"n\","
				   "\"cni.dev/attachments\":[{\"containerID\":\"b\","
				   "\"ifname\":\"eth1\"}]}",
			       &rq, &ce),
			 0);
	assert_string_equal(rq.valid[0].ifname, "eth1");
	cni_request_clear(&rq);
	expect(&e, "{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"cni.dev/attachments\":[],"
		   "\"cni.dev/valid-attachments\":[{\"containerID\":\"b\",\"ifname\":\"e\"}]}",
	       CNI_ERR_CONFIG, "differ");
	/* No list at all: nothing is valid (libcni's cnitool means "all of them"). */
	assert_int_equal(parse(&e, "{\"cniVersion\":\"1.1.0\",\"name\":\"n\"}", &rq, &ce), 0);
	assert_int_equal(rq.n_valid, 0);
	cni_request_clear(&rq);
}

/* An attachment as ADD records it (10.89.0.5/24, one mapping). */
static void attachment(struct cni_attachment *a, bool masq)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->network, sizeof(a->network), "net1");
	snprintf(a->container_id, sizeof(a->container_id), "c1");
	snprintf(a->ifname, sizeof(a->ifname), "eth0");
	snprintf(a->netns, sizeof(a->netns), "/run/netns/c1");
	cni_host_ifname("net1", "c1", "eth0", a->host_ifname);
	snprintf(a->bridge, sizeof(a->bridge), "nsbr9");
	a->mtu = 1400;
	a->is_gateway = true;
	a->ip_masq = masq;
	memcpy(a->mac, (uint8_t[]){2, 0, 0, 0, 0, 1}, MAC_LEN);
	memcpy(a->host_mac, (uint8_t[]){2, 0, 0, 0, 0, 2}, MAC_LEN);
	snprintf(a->ipam, sizeof(a->ipam), "nsnet");
	snprintf(a->data_dir, sizeof(a->data_dir), "/run/nsnet-cni");
	inet_prefix_parse("10.89.0.5/24", &a->ips[0].address, NULL);
	inet_addr_parse("10.89.0.1", &a->ips[0].gateway, NULL);
	a->n_ips = 1;
	inet_prefix_parse("0.0.0.0/0", &a->routes[0].dst, NULL);
	a->routes[0].gw = a->ips[0].gateway;
	a->n_routes = 1;
	a->maps = calloc(1, sizeof(*a->maps));
	a->maps[0] = (struct cni_mapping){TOPOLOGY_PROTO_TCP, 8080, 80, {0}};
	a->n_maps = 1;
}

static char *result(const char *version, const char *prev)
{
	char conf[1024];
	struct cni_request rq;
	struct cni_attachment a;
	struct cni_error ce;
	char *out = NULL;

	snprintf(conf, sizeof(conf),
		 "{\"cniVersion\":\"%s\",\"name\":\"net1\",\"ipam\":{\"type\":\"nsnet\","
		 "\"subnet\":\"10.89.0.0/24\"}%s%s}",
		 version, prev ? ",\"prevResult\":" : "", prev ? prev : "");
	assert_int_equal(parse(&add_env, conf, &rq, &ce), 0);
	attachment(&a, true);
	assert_int_equal(cni_result_json(&rq, &a, (uint8_t[]){2, 0, 0, 0, 0, 3}, NULL, &out, &ce),
			 0);
	cni_attachment_clear(&a);
	cni_request_clear(&rq);
	return out;
}

static void test_results(void **state)
{
	static const char loopback[] =
		"{\"cniVersion\":\"0.4.0\",\"interfaces\":[{\"name\":\"lo\",\"mac\":"
		"\"00:00:00:00:00:00\",\"sandbox\":\"/run/netns/c1\"}],\"ips\":[{\"version\":\"4\","
		"\"interface\":0,\"address\":\"127.0.0.1/8\"}],\"dns\":{}}";
	char *s;

	(void)state;
	s = result("0.4.0", NULL);
	assert_non_null(strstr(s, "\"cniVersion\":\"0.4.0\""));
	assert_non_null(strstr(s, "\"version\":\"4\""));
	assert_null(strstr(s, "\"mtu\""));
	assert_non_null(strstr(s, "\"interface\":2"));
	assert_non_null(strstr(s, "\"sandbox\":\"/run/netns/c1\""));
	free(s);
	s = result("1.0.0", NULL);
	assert_null(strstr(s, "\"version\""));
	assert_null(strstr(s, "\"mtu\""));
	free(s);
	s = result("1.1.0", NULL);
	assert_non_null(strstr(s, "\"mtu\":1400"));
	free(s);
	/* After loopback: its interface and address kept, ours appended, the index moved. */
	s = result("1.0.0", loopback);
	assert_non_null(strstr(s, "\"name\":\"lo\""));
	assert_non_null(strstr(s, "127.0.0.1/8"));
	assert_non_null(strstr(s, "\"interface\":3"));
	assert_null(strstr(s, "\"version\"")); /* converted to 1.0.0 */
	free(s);
}

static void test_errors_and_version(void **state)
{
	struct cni_env e = {.command = "VERSION"};
	struct cni_request rq;
	struct cni_error ce;
	char *s;

	(void)state;
	assert_int_equal(parse(&e, "{\"cniVersion\":\"1.0.0\"}", &rq, &ce), 0);
	s = cni_version_json(&rq);
	assert_string_equal(s, "{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"0.3.0\","
			       "\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}");
	free(s);
	cni_request_clear(&rq);
	/* A newer runtime probing: the list, its version echoed; not an error. */
	assert_int_equal(parse(&e, "{\"cniVersion\":\"1.2.0\"}", &rq, &ce), 0);
	s = cni_version_json(&rq);
	assert_non_null(strstr(s, "\"cniVersion\":\"1.2.0\",\"supportedVersions\":[\"0.3.0\""));
	free(s);
	cni_request_clear(&rq);
	assert_int_equal(parse(&e, "{\"cniVersion\":\"one\"}", &rq, &ce), CNI_ERR_VERSION);
	cni_request_clear(&rq);
	assert_int_equal(parse(&add_env, "{\"cniVersion\":\"0.4.0\",\"name\":\"n\"}", &rq, &ce),
			 CNI_ERR_CONFIG);
	s = cni_error_json(&rq, &ce);
	assert_non_null(strstr(s, "\"cniVersion\":\"0.4.0\""));
	assert_non_null(strstr(s, "\"code\":7"));
	free(s);
	cni_request_clear(&rq);
	/* A version nsnet does not speak: the error in the newest, the details say which. */
	assert_int_equal(parse(&add_env, "{\"cniVersion\":\"2.0.0\",\"name\":\"n\"}", &rq, &ce),
			 CNI_ERR_VERSION);
	s = cni_error_json(&rq, &ce);
	assert_non_null(strstr(s, "\"cniVersion\":\"1.1.0\""));
	assert_non_null(strstr(s, "2.0.0"));
	free(s);
	cni_request_clear(&rq);
}

static void addr_is(const struct inet_addr *a, const char *want)
{
	char s[INET_STR_MAX];

	inet_addr_format(a, s, sizeof(s));
	assert_string_equal(s, want);
}

static void test_pool(void **state)
{
	struct cni_ipam ip = {.own = true};
	struct ipam_pool p;
	struct inet_addr a = {0};

	(void)state;
	inet_prefix_parse("10.89.0.0/29", &ip.subnet, NULL);
	assert_int_equal(ipam_pool_init(&ip, &p, NULL), 0);
	addr_is(&p.gateway, "10.89.0.1");
	assert_int_equal(ipam_pool_size(&p), 5); /* .2 to .6: not the gateway, not .7 */
	a = ipam_pool_next(&p, &a);
	addr_is(&a, "10.89.0.2");
	for (int i = 0; i < 4; i++)
		a = ipam_pool_next(&p, &a);
	addr_is(&a, "10.89.0.6");
	a = ipam_pool_next(&p, &a); /* wraps to the start, the gateway skipped */
	addr_is(&a, "10.89.0.2");
	assert_false(ipam_pool_has(&p, &p.gateway));
	inet_addr_parse("10.89.0.7", &a, NULL);
	assert_false(ipam_pool_has(&p, &a));
	inet_addr_parse("10.89.0.4", &ip.range_start, NULL);
	inet_addr_parse("10.89.0.5", &ip.range_end, NULL);
	assert_int_equal(ipam_pool_init(&ip, &p, NULL), 0);
	assert_int_equal(ipam_pool_size(&p), 2);
	inet_prefix_parse("fd00::/64", &ip.subnet, NULL);
	memset(&ip.range_start, 0, sizeof(ip.range_start));
	memset(&ip.range_end, 0, sizeof(ip.range_end));
	assert_int_equal(ipam_pool_init(&ip, &p, NULL), 0);
	addr_is(&p.end, "fd00::ffff:ffff:ffff:ffff");
	assert_int_equal(ipam_pool_size(&p), UINT32_MAX);
}

static void test_records(void **state)
{
	struct cni_attachment a, b;
	struct error err = {0};
	char *text, name[NETNS_NAME_MAX + 1], buf2[NETNS_NAME_MAX + 1];

	(void)state;
	attachment(&a, true);
	assert_int_equal(strlen(a.host_ifname), 15);
	assert_int_equal(strncmp(a.host_ifname, "nsc", 3), 0);
	assert_int_equal(cni_record_format(&a, &text, &err), 0);
	assert_int_equal(cni_record_parse("r", text, strlen(text), &b, &err), 0);
	assert_string_equal(b.host_ifname, a.host_ifname);
	assert_int_equal(b.n_maps, 1);
	assert_int_equal(b.maps[0].host_port, 8080);
	assert_memory_equal(b.mac, a.mac, MAC_LEN);
	cni_attachment_clear(&b);
	free(text);
	/* A record is untrusted: a hostile value is refused, and never echoed. */
	text = strdup("{\"version\":1,\"network\":\"net1\",\"containerID\":\"c1\",\"ifname\":"
		      "\"eth0\",\"netns\":\"/x\",\"hostIfname\":\"$(reboot)\",\"bridge\":\"b\"}");
	assert_int_equal(cni_record_parse("r", text, strlen(text), &b, &err), -EBADMSG);
	assert_null(strstr(err.msg, "reboot"));
	free(text);
	/* Keys missing altogether (the fuzzer's first find: a NULL value's type). */
	text = strdup("{\"version\":1,\"network\":\"net1\",\"containerID\":\"c1\",\"ifname\":"
		      "\"eth0\",\"netns\":\"/x\",\"hostIfname\":\"h\",\"bridge\":\"b\",\"ipam\":"
		      "\"nsnet\",\"dataDir\":\"/d\"}");
	assert_int_equal(cni_record_parse("r", text, strlen(text), &b, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "(at 'mac')"));
	free(text);
	cni_label("c1", "eth0", name);
	assert_string_equal(name, "c1");
	cni_label("c1", "net1", name);
	assert_string_equal(name, "c1/net1");
	cni_label("86b7a429b73c90eae7bda29175820ad838da47000e72401286bced5971666549", "eth0", name);
	assert_string_equal(name, "86b7a429b73c");
	cni_label("cni-test-container-number-1", "eth0", name);
	assert_int_equal(strncmp(name, "cni-test-contai~", 16), 0);
	assert_int_equal(strlen(name), 24);
	cni_label("cni-test-container-number-2", "eth1", buf2);
	assert_string_not_equal(name, buf2);
	cni_attachment_clear(&a);
}

static void test_elements(void **state)
{
	struct cni_attachment a;
	struct error err = {0};
	char *s;

	(void)state;
	attachment(&a, true);
	assert_int_equal(fw_cni_elements(&a, true, true, &s, &err), 0);
	assert_string_equal(s, "add element inet nsnet-net1 subnets4 { 10.89.0.0/24 }\n"
			       "add element inet nsnet-net1 nat4 { 10.89.0.0/24 }\n"
			       "create element inet nsnet-net1 fwd4 { tcp . 8080 : 10.89.0.5 . 80 }\n");
	free(s);
	inet_addr_parse("192.168.1.2", &a.maps[0].host_ip, NULL);
	a.maps[0].proto = TOPOLOGY_PROTO_UDP;
	assert_int_equal(fw_cni_elements(&a, false, false, &s, &err), 0);
	assert_string_equal(s, "delete element inet nsnet-net1 fwd4h { 192.168.1.2 . udp . 8080 }\n");
	free(s);
	/* A mapping of the other family than the container's addresses makes nothing (portmap's rule). */
	inet_addr_parse("fd00::2", &a.maps[0].host_ip, NULL);
	assert_int_equal(fw_cni_elements(&a, false, false, &s, &err), 0);
	assert_null(s);
	cni_attachment_clear(&a);
}

static const char *types(const struct plan *p, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < p->n; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? " " : "",
				      action_type_name(p->v[i].type));
	return buf;
}

static void test_plans(void **state)
{
	struct cni_seen seen = {.ip_forward = 0};
	struct cni_attachment a;
	struct plan *p = NULL;
	struct error err = {0};
	char buf[1024];

	(void)state;
	attachment(&a, true);
	/* The first attachment: the table first (a bridge of ours implies its table). */
	assert_int_equal(cni_plan_add(&a, "c1", &seen, &p, &err), 0);
	assert_string_equal(types(p, buf, sizeof(buf)),
			    "firewall-apply bridge-add addr-add sysctl sysctl link-up veth-add "
			    "link-master link-up addr-add link-up route-add");
	assert_non_null(strstr(p->v[0].script, "tcp . 8080 : 10.89.0.5 . 80"));
	assert_string_equal(p->v[6].peer_ns, "c1");
	plan_free(p);
	/* The bridge is there with its gateway: only the attachment, its elements last. */
	seen.bridge = true;
	seen.ip_forward = 1;
	seen.bridge_addrs[0] = (struct inet_prefix){a.ips[0].gateway, 24};
	seen.n_bridge_addrs = 1;
	a.hairpin = true;
	assert_int_equal(cni_plan_add(&a, "c1", &seen, &p, &err), 0);
	assert_string_equal(types(p, buf, sizeof(buf)),
			    "veth-add link-master hairpin link-up addr-add link-up route-add "
			    "firewall-elements");
	assert_int_equal(p->v[7].n_restore, 1); /* its undo deletes the elements again */
	assert_true(p->v[7].restore[0].tolerant);
	assert_null(strstr(p->v[7].script, "subnets4"));
	plan_free(p);
	/* DEL: the elements and the host end; the last one also the bridge, then the table. */
	seen.host_link = true;
	assert_int_equal(cni_plan_del(&a, &seen, &p, &err), 0);
	assert_string_equal(types(p, buf, sizeof(buf)), "firewall-elements link-del");
	plan_free(p);
	seen.last = true;
	assert_int_equal(cni_plan_del(&a, &seen, &p, &err), 0);
	assert_string_equal(types(p, buf, sizeof(buf)), "link-del link-del firewall-del");
	plan_free(p);
	cni_attachment_clear(&a);
}

static void test_drift(void **state)
{
	struct netstate *host = netstate_new(), *ctr = netstate_new();
	struct cni_observed o = {host, ctr, true, true, (bool[]){true}};
	struct cni_attachment a;
	struct plan p = {0};
	struct error err = {0};
	char buf[512];
	struct ns_link *l;

	(void)state;
	attachment(&a, true);
	l = netstate_add_link(host);
	snprintf(l->name, sizeof(l->name), "nsbr9");
	l->ifindex = 3;
	l->flags = 1;
	l = netstate_add_link(host);
	snprintf(l->name, sizeof(l->name), "%s", a.host_ifname);
	l->master = 3;
	l->flags = 1;
	l = netstate_add_link(ctr);
	snprintf(l->name, sizeof(l->name), "eth0");
	l->ifindex = 2;
	/* eth0 is down and has neither its address nor its route. */
	assert_int_equal(cni_plan_drift(&a, "c1", &o, &p, &err), 0);
	assert_string_equal(types(&p, buf, sizeof(buf)), "link-up addr-add route-add");
	action_describe(&p.v[1], buf, sizeof(buf));
	assert_string_equal(buf, "+ address 10.89.0.5/24 on 'eth0' in 'c1'");
	for (size_t i = 0; i < p.n; i++)
		action_clear(&p.v[i]);
	free(p.v);
	cni_attachment_clear(&a);
	netstate_free(host);
	netstate_free(ctr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env),	     cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_args),	     cmocka_unit_test(test_gc),
		cmocka_unit_test(test_results),	     cmocka_unit_test(test_errors_and_version),
		cmocka_unit_test(test_pool),	     cmocka_unit_test(test_records),
		cmocka_unit_test(test_elements),     cmocka_unit_test(test_plans),
		cmocka_unit_test(test_drift),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
