/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A topology as a Graphviz DOT digraph, for `nsnet graph FILE | dot -Tsvg`.
 *
 * - The host is a cluster holding a "host" node and one node per bridge,
 *   labelled with its addresses, MTU and "nat".
 * - Each namespace is a box labelled with its name and its routes, in the
 *   order of the file ("default via 192.168.15.5").
 * - A bridge port is an edge from the bridge to the namespace: the host end's
 *   name at the tail, the interface's name and addresses at the head. A cable
 *   between two namespaces is one edge, drawn once even when both sides
 *   declare it.
 * - A port forward is a dashed arrow from the host node to the namespace that
 *   owns the target address: "tcp 80 -> 192.168.15.2:80".
 *
 * Node ids carry their kind ("ns/red", "br/v-net-0", "host"): a bridge and a
 * namespace may share a name, and no name can contain '/'. Every id and label
 * is quoted and escaped, so the output is valid DOT whatever the names hold.
 * The order follows the file, so the output is stable for a given file.
 */
#ifndef NSNET_GRAPH_H
#define NSNET_GRAPH_H

#include "error.h"
#include "topology.h"

/*
 * Builds the DOT text of t into *ret (NUL-terminated, the caller frees it).
 * Pure. On failure (-ENOMEM) *ret is untouched and err says why.
 */
int graph_dot_build(const struct topology *t, char **ret, struct error *err);

#endif
