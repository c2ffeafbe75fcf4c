/*
 * name_parts.h - a personal name split into title, given, middle, family
 * and suffix: cdm.name_parts, and the parsing cdm.name_similarity uses.
 *
 * Tokens are the runs of the ORIGINAL text between white space and commas
 * (any script's: U+3000, U+FF0C, U+060C, U+3001 ...), each folded on its
 * own with cdm_fold.  So a token keeps together what folding would split:
 * "García-López" is one token, "garcia lopez"; "王小明" is one token,
 * "wang xiao ming"; a token folding to nothing (emoji, "&", "-") is dropped.
 *
 * Roles (see name_parts.c for the exact rules):
 *   - commas: "Smith, John Paul" = "John Paul Smith"; a last comma group of
 *     suffixes only is suffixes ("Smith, John, Jr.", "John Smith, Jr.");
 *   - titles (mr, mrs, dr, prof, ...) at the start, suffixes (jr, sr, iii,
 *     phd, ...) at the end; title and suffix tokens are stored without
 *     spaces ("Ph.D." -> "phd");
 *   - the first remaining token is the given name, the last the family
 *     name together with the particles before it (van, de, la, ...), the
 *     ones between are middle names;
 *   - a lone remaining token is the given name ("Madonna"), unless a title
 *     precedes it: then it is the family name ("Dr. Who").
 */
#ifndef CDM_NAME_PARTS_H
#define CDM_NAME_PARTS_H

#include "cdm_core.h"

typedef enum CdmNameRole
{
	CDM_NAME_TITLE,
	CDM_NAME_GIVEN,
	CDM_NAME_MIDDLE,
	CDM_NAME_FAMILY,
	CDM_NAME_SUFFIX,
	CDM_NAME_NROLES
} CdmNameRole;

typedef struct CdmNameToken
{
	uint32_t	off;			/* folded text: buf[off .. off + len) */
	uint32_t	len;
	uint32_t	group;			/* comma group, 0-based */
	uint8_t		role;			/* CdmNameRole */
	bool		particle;		/* a family-name particle (van, de, ...) */
} CdmNameToken;

/* A parsed name: the folded tokens and their roles. */
typedef struct CdmName
{
	const cdm_char *buf;
	const CdmNameToken *tok;
	size_t		ntok;
} CdmName;

/* Room for the tokens of n code points (tokens are separated). */
#define CDM_NAME_MAX_TOKENS(n) ((n) / 2 + 1)

/*
 * Split and fold the n code points at in: folded text into buf (capacity
 * cap), tokens into tok (CDM_NAME_MAX_TOKENS(n) entries), their number into
 * *ntok, roles assigned.  Returns the folded length; if that is more than
 * cap nothing useful was stored and the caller retries with that much
 * room (2 * n + 16 is nearly always enough).  -1 if ICU fails (*err).
 */
extern ptrdiff_t cdm_name_parse(const cdm_char *in, size_t n,
								cdm_char *buf, size_t cap,
								CdmNameToken *tok, size_t *ntok,
								const char **err);

/*
 * One part: the tokens of that role in order, one space between, into out
 * (room for the folded length plus ntok is enough).  Returns its length; 0
 * means the part is missing.
 */
extern size_t cdm_name_part(const CdmName *name, CdmNameRole role,
							cdm_char *out);

/* Token k as a lower-case ASCII keyword without spaces ("" if it is not one). */
extern void cdm_name_token_word(const CdmName *name, size_t k, char out[16]);

#endif							/* CDM_NAME_PARTS_H */
