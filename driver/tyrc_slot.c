// SPDX-License-Identifier: MIT
/* The generic slot manager (see the DOC block in tyrc_slot.h). */
#include <tyrc/log.h>

#include "tyrc_slot.h"

int tyrc_slot_manager_init(struct tyrc_slot_manager *mgr, u32 count, u32 reserved,
			   const struct tyrc_slot_ops *ops, void *priv)
{
	if (!count || count > TYRC_SLOT_MAX || !ops || !ops->activate || !ops->evict)
		return -EINVAL;
	if (count < 32 && (reserved >> count))
		return -EINVAL;
	*mgr = (struct tyrc_slot_manager){
		.ops = ops,
		.priv = priv,
		.count = count,
		.reserved = reserved,
	};
	return 0;
}

void *tyrc_slot_manager_priv(struct tyrc_slot_manager *mgr)
{
	return mgr->priv;
}

void tyrc_slot_seat_init(struct tyrc_slot_seat *seat)
{
	*seat = (struct tyrc_slot_seat){ 0 };
}

static bool tyrc_slot_reserved(const struct tyrc_slot_manager *mgr, u32 slot)
{
	return slot < 32 && (mgr->reserved & BIT(slot));
}

int tyrc_slot_of(const struct tyrc_slot_manager *mgr, const struct tyrc_slot_seat *seat)
{
	const struct tyrc_slot *s;

	if (!seat->seqno || seat->slot >= mgr->count)
		return -1;
	s = &mgr->slots[seat->slot];
	if (s->seat != seat || s->seqno != seat->seqno)
		return -1;
	return (int)seat->slot;
}

void *tyrc_slot_owner(const struct tyrc_slot_manager *mgr, u32 slot)
{
	return slot < mgr->count ? mgr->slots[slot].owner : NULL;
}

u32 tyrc_slot_users(const struct tyrc_slot_manager *mgr, u32 slot)
{
	return slot < mgr->count ? mgr->slots[slot].users : 0;
}

/* Tear down the idle binding of @slot; the old seat goes stale. */
static int tyrc_slot_evict_slot(struct tyrc_slot_manager *mgr, u32 slot)
{
	struct tyrc_slot *s = &mgr->slots[slot];
	int ret;

	TYRC_BUG_ON(s->users);
	ret = mgr->ops->evict(mgr, slot, s->owner);
	if (ret)
		return ret;
	*s = (struct tyrc_slot){ 0 };
	return 0;
}

/* Pick a free candidate slot, else evict the least recently used idle one. */
static int tyrc_slot_reclaim(struct tyrc_slot_manager *mgr)
{
	int victim = -1;
	int ret;

	for (u32 i = 0; i < mgr->count; i++) {
		const struct tyrc_slot *s = &mgr->slots[i];

		if (tyrc_slot_reserved(mgr, i))
			continue;
		if (!s->owner)
			return (int)i;
		if (!s->users && (victim < 0 || s->last_use < mgr->slots[victim].last_use))
			victim = (int)i;
	}
	if (victim < 0)
		return -EBUSY;
	ret = tyrc_slot_evict_slot(mgr, (u32)victim);
	return ret ? ret : victim;
}

int tyrc_slot_get(struct tyrc_slot_manager *mgr, struct tyrc_slot_seat *seat, void *owner, int want)
{
	struct tyrc_slot *s;
	int slot = tyrc_slot_of(mgr, seat);
	int ret;

	if (slot >= 0) {
		s = &mgr->slots[slot];
		if (want != TYRC_SLOT_ANY && want != slot)
			return -EINVAL;
		TYRC_BUG_ON(s->owner != owner);
		s->users++;
		s->last_use = ++mgr->clock;
		return slot;
	}

	if (want == TYRC_SLOT_ANY) {
		slot = tyrc_slot_reclaim(mgr);
		if (slot < 0)
			return slot;
	} else {
		if (want < 0 || !tyrc_slot_reserved(mgr, (u32)want) || (u32)want >= mgr->count)
			return -EINVAL;
		slot = want;
		if (mgr->slots[slot].owner) {
			if (mgr->slots[slot].users)
				return -EBUSY;
			ret = tyrc_slot_evict_slot(mgr, (u32)slot);
			if (ret)
				return ret;
		}
	}

	ret = mgr->ops->activate(mgr, (u32)slot, owner);
	if (ret)
		return ret;

	s = &mgr->slots[slot];
	s->owner = owner;
	s->seat = seat;
	s->seqno = ++mgr->clock;
	s->last_use = s->seqno;
	s->users = 1;
	seat->seqno = s->seqno;
	seat->slot = (u32)slot;
	return slot;
}

void tyrc_slot_put(struct tyrc_slot_manager *mgr, struct tyrc_slot_seat *seat)
{
	int slot = tyrc_slot_of(mgr, seat);
	struct tyrc_slot *s;

	TYRC_BUG_ON(slot < 0);
	s = &mgr->slots[slot];
	TYRC_BUG_ON(!s->users);
	s->users--;
	s->last_use = ++mgr->clock;
}

int tyrc_slot_evict(struct tyrc_slot_manager *mgr, struct tyrc_slot_seat *seat)
{
	int slot = tyrc_slot_of(mgr, seat);
	int ret;

	if (slot < 0) {
		tyrc_slot_seat_init(seat);
		return 0;
	}
	if (mgr->slots[slot].users)
		return -EBUSY;
	ret = tyrc_slot_evict_slot(mgr, (u32)slot);
	if (!ret)
		tyrc_slot_seat_init(seat);
	return ret;
}
