/* SPDX-License-Identifier: MIT */
/* Intrusive circular doubly-linked lists, as <linux/list.h>. Not thread-safe. */
#ifndef TYRC_LIST_H
#define TYRC_LIST_H

#include "types.h"

struct tyrc_list_head {
	struct tyrc_list_head *next, *prev;
};

#define TYRC_LIST_HEAD_INIT(name) \
	{                         \
		&(name), &(name)  \
	}

static inline void tyrc_list_init(struct tyrc_list_head *h)
{
	h->next = h;
	h->prev = h;
}

static inline void tyrc_list_insert(struct tyrc_list_head *n, struct tyrc_list_head *prev,
				    struct tyrc_list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

/* Add @n right after @h (stack order). */
static inline void tyrc_list_add(struct tyrc_list_head *n, struct tyrc_list_head *h)
{
	tyrc_list_insert(n, h, h->next);
}

/* Add @n before @h, i.e. at the tail of list @h (queue order). */
static inline void tyrc_list_add_tail(struct tyrc_list_head *n, struct tyrc_list_head *h)
{
	tyrc_list_insert(n, h->prev, h);
}

/* Unlink @e and leave it pointing at itself, so tyrc_list_empty(e) is true. */
static inline void tyrc_list_del_init(struct tyrc_list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	tyrc_list_init(e);
}

static inline bool tyrc_list_empty(const struct tyrc_list_head *h)
{
	return h->next == h;
}

#define tyrc_list_entry(ptr, type, member) container_of(ptr, type, member)
#define tyrc_list_first_entry(head, type, member) tyrc_list_entry((head)->next, type, member)

#define tyrc_list_for_each_entry(pos, head, member)                         \
	for (pos = tyrc_list_entry((head)->next, __typeof__(*pos), member); \
	     &pos->member != (head);                                        \
	     pos = tyrc_list_entry(pos->member.next, __typeof__(*pos), member))

/* Iteration that tolerates removal of @pos; @n is scratch. */
#define tyrc_list_for_each_entry_safe(pos, n, head, member)                  \
	for (pos = tyrc_list_entry((head)->next, __typeof__(*pos), member),  \
	    n = tyrc_list_entry(pos->member.next, __typeof__(*pos), member); \
	     &pos->member != (head);                                         \
	     pos = n, n = tyrc_list_entry(n->member.next, __typeof__(*n), member))

#endif /* TYRC_LIST_H */
