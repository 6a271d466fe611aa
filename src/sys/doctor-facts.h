/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Gathering what `nsnet doctor` judges (core/doctor.h) from the host's real state. */
#ifndef NSNET_DOCTOR_FACTS_H
#define NSNET_DOCTOR_FACTS_H

#include "core/doctor.h"
#include "nsctx.h"

/*
 * Reads the host's sysctls, other tools' forward-hook drop chains, links and
 * routes, and for each of topos (name and want set by the caller) its world.
 * f->topos points at topos; read-only: nothing is changed, not even a
 * leftover of a killed run.
 */
int doctor_facts_gather(struct nsctx *c, struct doctor_topo *topos, size_t n,
			struct doctor_facts *f, struct error *err);
/* Frees what gathering allocated (the worlds in topos too); not topos nor their wants. */
void doctor_facts_clear(struct doctor_facts *f);

#endif
