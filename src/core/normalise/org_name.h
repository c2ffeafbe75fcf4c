/*
 * org_name.h - organisation names in one comparable form: legal forms
 * (Inc, Ltd, GmbH, S.A., ...) dropped, so "ACME, Inc." and "Acme
 * Incorporated" compare equal.
 *
 * The input is the cdm_fold form of the name with '&' already read as
 * "and" (the skin replaces it before folding): lower-case words separated
 * by single spaces.  Steps, in order:
 *   1. runs of one-letter words [a-z] are joined: "s a de c v" -> "sa de cv",
 *      "j p morgan" -> "jp morgan";
 *   2. a first word "the", "pt", "ooo", "zao", "oao", "pao" or "tov" is
 *      dropped when another word follows;
 *   3. the shortest tail of words, after the first word, that reads as one
 *      or more legal forms (cdm_org_legal_forms, some of several words:
 *      "sp zoo", "sa de cv", "gesellschaft mit beschrankter haftung") is
 *      dropped; so the first word always stays ("company ltd" -> "company").
 * Legal forms inside the name stay ("siemens ag osterreich").
 */
#ifndef CDM_ORG_NAME_H
#define CDM_ORG_NAME_H

#include <stddef.h>

/*
 * Write the normal form of the folded name s (len bytes, UTF-8) to out,
 * which must hold len + 1 bytes (the result is never longer; it is NUL-
 * terminated).  Returns its length (0 when the input has no word).
 */
extern size_t cdm_org_name_norm_folded(const char *s, size_t len, char *out);

/* The legal-form table (NULL-terminated), for tests and documentation. */
extern const char *const cdm_org_legal_forms[];

#endif							/* CDM_ORG_NAME_H */
