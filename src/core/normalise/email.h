/*
 * email.h - e-mail addresses: syntactic validity and a canonical form for
 * finding duplicates.
 *
 * cdm_email_norm() trims Unicode white space, lower-cases, checks the
 * address and applies the documented rules of a few large providers:
 *
 *     '  J.Doe+shop@GMail.com ' -> 'jdoe@gmail.com'
 *     'Anna@BÜCHER.de'          -> 'anna@bücher.de'
 *     'anna@xn--bcher-kva.de'   -> 'anna@bücher.de'
 *
 * What counts as an address (anything else is invalid):
 *  - exactly one '@';
 *  - the local part is an RFC 5322 dot-atom (atext characters, dots not
 *    leading, trailing or doubled), where non-ASCII characters must be
 *    letters, combining marks or decimal digits (RFC 6531 allows any
 *    non-ASCII character; we keep the letters of real names and refuse
 *    symbols such as emoji), at most 64 octets once normalised;
 *  - the domain is valid under UTS #46 (non-transitional, STD3 rules,
 *    CheckBidi, CheckJoiners), has at least two labels, no empty label
 *    (so no trailing root dot), a TLD that is not all digits, and its
 *    non-ASCII characters are letters, marks or digits (IDNA2008 refuses
 *    symbols; UTS #46 alone would accept i❤.ws);
 *  - the whole address is at most 254 octets, with the domain counted both
 *    in Unicode (UTF-8) and in ASCII (A-label) form.
 * Not accepted, on purpose: quoted local parts ("john doe"@x.com), IP
 * literals (user@[1.2.3.4]), display names (John <j@x.com>), 'mailto:'
 * prefixes and comments: none of them is a customer's mailbox as typed in
 * a form.
 *
 * The result is lower-case: the domain always (DNS is case-insensitive);
 * the local part too, although RFC 5321 lets a server treat it as
 * case-sensitive, because no large provider does.  Non-ASCII local parts
 * are lower-cased with ICU's root locale (full mappings, so Σ at the end
 * of a word becomes ς) and put in NFC.  Domains come out in Unicode NFC
 * (UTS #46 ToUnicode), whether given as U-labels or as xn-- A-labels.
 *
 * ASCII addresses (nearly all) never enter ICU; the fast path gives what
 * UTS #46 would (test_email checks that on a set of domains).
 */
#ifndef CDM_EMAIL_H
#define CDM_EMAIL_H

#include "cdm_core.h"

/* Longest normalised address, in octets (RFC 5321 path limit less <>). */
#define CDM_EMAIL_MAX 254

/* Longest local part, in octets (RFC 5321 section 4.5.3.1.1). */
#define CDM_EMAIL_LOCAL_MAX 64

/*
 * Inputs longer than this (after trimming) are invalid without further
 * reading: no valid address needs more, even written with full-width
 * letters or decomposed accents, and it bounds the work per call.
 */
#define CDM_EMAIL_INPUT_MAX 1024

/* Negative results. */
#define CDM_EMAIL_INVALID	(-1)	/* not an address */
#define CDM_EMAIL_ICU_ERROR (-2)	/* ICU failed (message in *err) */

/*
 * Normalise the UTF-8 address s (len bytes) into out (capacity cap bytes,
 * not NUL-terminated).  Returns the length of the result: if it is more
 * than cap, nothing was written and the caller retries with a larger buffer
 * (CDM_EMAIL_MAX bytes are always enough).  Returns CDM_EMAIL_INVALID for
 * input that is not an address (including ill-formed UTF-8), or
 * CDM_EMAIL_ICU_ERROR with a static message in *err.
 */
extern ptrdiff_t cdm_email_norm(const char *s, size_t len,
								char *out, size_t cap, const char **err);

/* 1 if cdm_email_norm() would give an address, 0 if not, or CDM_EMAIL_ICU_ERROR. */
extern int	cdm_email_valid(const char *s, size_t len, const char **err);

/*
 * The domain step alone, for tests: d (len bytes, no trimming) to its
 * normalised Unicode form in out (cap bytes).  force_icu sends ASCII
 * domains through ICU too, so the fast path can be compared with it.
 * Same return convention as cdm_email_norm().
 */
extern ptrdiff_t cdm_email_domain(const char *d, size_t len, bool force_icu,
								  char *out, size_t cap, const char **err);

#endif							/* CDM_EMAIL_H */
