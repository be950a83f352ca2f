/* SPDX-License-Identifier: MIT */
/*
 * DOC: Slot manager
 *
 * A generic manager for a small set of hardware slots (MMU address spaces
 * now, CSG slots later) shared by more objects than there are slots, after
 * Tyr's slot.rs. Each object embeds a struct tyrc_slot_seat; the manager
 * binds seats to slots and calls back into the user to program
 * (@activate) or tear down (@evict) the hardware.
 *
 * A binding is *active* while it has users (tyrc_slot_get() without the
 * matching tyrc_slot_put()) and *idle* when it has none. Idle bindings stay
 * resident so that the next tyrc_slot_get() of the same seat is free of
 * hardware work, but they may be reclaimed: when no slot is free, the idle
 * slot used least recently is evicted and handed to the newcomer. When every
 * slot is active, tyrc_slot_get() fails with -EBUSY.
 *
 * Eviction never touches the evicted object's seat. Each binding carries a
 * sequence number, recorded in both the slot and the seat; a seat whose
 * number no longer matches its slot's is stale, and is treated as unbound
 * the next time it is used. The object may therefore be locked
 * independently of the manager.
 *
 * Some slots can be reserved (AS 0 for the MCU VM): tyrc_slot_get() with
 * TYRC_SLOT_ANY never picks them; they are bound by asking for them by
 * index, and never evicted to make room.
 *
 * Locking: the manager has no lock of its own. Every call, callbacks
 * included, runs under the user's lock (the MMU's slots_lock).
 */
#ifndef TYRC_SLOT_H
#define TYRC_SLOT_H

#include <tyrc/types.h>

/* Most slots one manager handles (CSG slots: up to 32). */
#define TYRC_SLOT_MAX 32u
/* tyrc_slot_get(): any slot that is not reserved. */
#define TYRC_SLOT_ANY (-1)

struct tyrc_slot_manager;

/**
 * struct tyrc_slot_seat - the per-object side of a binding, embedded in the
 * object. Private to tyrc_slot.c; initialise with tyrc_slot_seat_init().
 */
struct tyrc_slot_seat {
	/** @seqno: sequence number of the binding, 0 = never bound. */
	u64 seqno;
	/** @slot: slot of that binding; meaningful only while @seqno matches the slot's. */
	u32 slot;
};

/**
 * struct tyrc_slot_ops - hardware callbacks, called under the user's lock.
 */
struct tyrc_slot_ops {
	/**
	 * @activate: program @slot for @owner. Mandatory. On error the slot
	 * stays free and tyrc_slot_get() returns the error.
	 */
	int (*activate)(struct tyrc_slot_manager *mgr, u32 slot, void *owner);
	/**
	 * @evict: tear @slot down; @owner is the idle object bound to it.
	 * Mandatory. On error the binding is kept (the hardware may still use
	 * the owner's resources) and the error is returned to the caller.
	 */
	int (*evict)(struct tyrc_slot_manager *mgr, u32 slot, void *owner);
};

/** struct tyrc_slot - one slot (private to tyrc_slot.c). */
struct tyrc_slot {
	/** @owner: bound object, NULL when the slot is free. */
	void *owner;
	/** @seat: the owner's seat (compared, never dereferenced once stale). */
	struct tyrc_slot_seat *seat;
	/** @seqno: sequence number of the current binding. */
	u64 seqno;
	/** @last_use: manager clock at the last get or put; the LRU key. */
	u64 last_use;
	/** @users: tyrc_slot_get() calls not yet put; 0 = idle. */
	u32 users;
};

/**
 * struct tyrc_slot_manager - the slots and their bindings. Embedded in the
 * user's state; fields private to tyrc_slot.c.
 */
struct tyrc_slot_manager {
	const struct tyrc_slot_ops *ops;
	/** @priv: the user's cookie, see tyrc_slot_manager_priv(). */
	void *priv;
	/** @count: slots managed, indices 0 .. @count - 1. */
	u32 count;
	/** @reserved: slots only bound on explicit request. */
	u32 reserved;
	/** @clock: last sequence number handed out (bindings and uses). */
	u64 clock;
	struct tyrc_slot slots[TYRC_SLOT_MAX];
};

/**
 * tyrc_slot_manager_init() - set up @mgr with every slot free.
 * @mgr: manager to initialise.
 * @count: number of slots, 1 .. TYRC_SLOT_MAX.
 * @reserved: bitmask of slots tyrc_slot_get(TYRC_SLOT_ANY) never picks.
 * @ops: callbacks (both mandatory).
 * @priv: cookie for the callbacks.
 * Return: 0, or -EINVAL for a bad @count, @reserved or @ops.
 */
int tyrc_slot_manager_init(struct tyrc_slot_manager *mgr, u32 count, u32 reserved,
			   const struct tyrc_slot_ops *ops, void *priv);

/** tyrc_slot_manager_priv() - the cookie given to tyrc_slot_manager_init(). */
void *tyrc_slot_manager_priv(struct tyrc_slot_manager *mgr);

/** tyrc_slot_seat_init() - mark @seat as never bound. */
void tyrc_slot_seat_init(struct tyrc_slot_seat *seat);

/**
 * tyrc_slot_get() - make @owner resident and take a use of its slot.
 * @mgr: the manager.
 * @seat: @owner's seat.
 * @owner: object to bind (passed to the callbacks, returned by tyrc_slot_owner()).
 * @want: TYRC_SLOT_ANY, or the index of a reserved slot to bind to.
 *
 * A seat still bound (active or idle) keeps its slot and no callback runs.
 * Otherwise a free slot is taken, else the least recently used idle one is
 * evicted; then @activate programs it. Context: the user's lock held.
 * Return: the slot index, -EBUSY if every candidate slot is in use,
 * -EINVAL if @want is not a reserved slot (or @seat is bound elsewhere),
 * or the error of a failing callback.
 */
int tyrc_slot_get(struct tyrc_slot_manager *mgr, struct tyrc_slot_seat *seat, void *owner,
		  int want);

/**
 * tyrc_slot_put() - drop a use taken by tyrc_slot_get(). The binding
 * becomes idle, and evictable, when its last use is dropped.
 * Context: the user's lock held. Putting an unbound seat is a bug.
 */
void tyrc_slot_put(struct tyrc_slot_manager *mgr, struct tyrc_slot_seat *seat);

/**
 * tyrc_slot_evict() - unbind @seat now (object teardown).
 * Return: 0 (also when @seat was not bound), -EBUSY while the binding has
 * users, or the error of @evict (the binding is then kept).
 */
int tyrc_slot_evict(struct tyrc_slot_manager *mgr, struct tyrc_slot_seat *seat);

/**
 * tyrc_slot_of() - the slot @seat is bound to.
 * Return: the slot index (active or idle binding), or -1 if unbound or stale.
 */
int tyrc_slot_of(const struct tyrc_slot_manager *mgr, const struct tyrc_slot_seat *seat);

/** tyrc_slot_owner() - the object bound to @slot, or NULL if it is free. */
void *tyrc_slot_owner(const struct tyrc_slot_manager *mgr, u32 slot);

/** tyrc_slot_users() - uses of @slot's binding (0 = idle or free). */
u32 tyrc_slot_users(const struct tyrc_slot_manager *mgr, u32 slot);

#endif /* TYRC_SLOT_H */
