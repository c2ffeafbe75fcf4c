/*
 * cdm_core.h - conventions shared by the pure C core (no postgres.h here).
 *
 * Core functions work on arrays of Unicode code points (cdm_char) or on
 * bytes, never allocate memory and never keep state between calls: any
 * scratch space they need is passed in by the caller, who sizes it with the
 * matching *_workspace() function.  That keeps them safe to interrupt: the
 * PostgreSQL skin points cdm_check_interrupts at CHECK_FOR_INTERRUPTS(),
 * which may longjmp out of a core loop without leaking anything.
 */
#ifndef CDM_CORE_H
#define CDM_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t cdm_char;		/* one Unicode code point */

/* Set by the host (PostgreSQL skin, tests); NULL means never interrupted. */
extern void (*cdm_check_interrupts) (void);

/* Long loops call this every CDM_INTERRUPT_STRIDE iterations (cheap). */
#define CDM_INTERRUPT_STRIDE 4096
#define CDM_CHECK_INTERRUPTS() \
	do { if (cdm_check_interrupts) cdm_check_interrupts(); } while (0)

#endif							/* CDM_CORE_H */
