/*
 * key.h - blocking keys: compact sorted sets of hashed tokens (cdm.key).
 *
 * A key describes one value (a name, an e-mail address, a phone number,
 * an address) or several, one per field, as a set of 32-bit tokens:
 *
 *     bits 31..29   field id (CDM_KEY_NAME, CDM_KEY_EMAIL, ...)
 *     bits 28..27   token class: CDM_KEY_CODE (a Double Metaphone code),
 *                   CDM_KEY_WORD (a whole word, nickname root, e-mail
 *                   address, the last 7 digits of a phone number, ...),
 *                   CDM_KEY_GRAM (a bigram of a folded word, a digit
 *                   trigram); 3 is reserved
 *     bits 26..0    a hash of what the token stands for (see key_tokens.c)
 *
 * sorted ascending (so grouped by field) and distinct.  A field is present
 * when it has at least one token.  Each field keeps at most
 * CDM_KEY_FIELD_MAX tokens: longer values keep the smallest tokens (a
 * bottom-k sample, which keeps Jaccard estimates honest for similar long
 * values and bounds the key at a few KB whatever the input; classes sort
 * codes, words, grams, so the sample keeps whole-word tokens first).
 *
 * Hashes are fixed functions of the folded text (no seed, no pointer, no
 * byte order), so keys are the same on every machine and survive dump and
 * restore; a future change of the tokenizer would need keys rebuilt.
 *
 * Distance (cdm_key_distance): over the fields F present in both keys,
 *
 *     sim = sum_f w_f J_f / sum_f w_f,   J_f = |A_f & B_f| / |A_f | B_f|
 *
 * (a weighted mean of per-field Jaccard indexes, weights cdm_key_weight:
 * name 1, e-mail 2, phone 2, address 1), distance = 1 - sim.  Classes do
 * not weigh in: a code counts as much as a bigram (counting codes and words
 * 3 times let the index prune more but lost recall; doc/fragments/block.md).
 * No field in common: distance 1, except that two empty keys are identical
 * (0).
 */
#ifndef CDM_KEY_H
#define CDM_KEY_H

#include "cdm_core.h"

typedef uint32_t cdm_token;

#define CDM_KEY_NFIELDS		8
#define CDM_KEY_FIELD_SHIFT 29
#define CDM_KEY_HASH_MASK	0x1FFFFFFFu
#define CDM_KEY_FIELD(t)	((unsigned) ((t) >> CDM_KEY_FIELD_SHIFT))

/* Token classes (bits 28..27). */
#define CDM_KEY_NCLASSES	4
#define CDM_KEY_CLASS_SHIFT 27
#define CDM_KEY_CLASS_HASH_MASK 0x07FFFFFFu
#define CDM_KEY_CLASS(t)	((unsigned) (((t) >> CDM_KEY_CLASS_SHIFT) & 3))
#define CDM_KEY_CODE		0	/* phonetic code */
#define CDM_KEY_WORD		1	/* whole word, root, address, number */
#define CDM_KEY_GRAM		2	/* q-gram */

/* Field ids (4..7 are reserved). */
#define CDM_KEY_NAME		0
#define CDM_KEY_EMAIL		1
#define CDM_KEY_PHONE		2
#define CDM_KEY_ADDRESS		3

/* Most tokens one field keeps (fits the uint8 counts of a signature). */
#define CDM_KEY_FIELD_MAX	250

/* Most tokens a key can have. */
#define CDM_KEY_MAX_TOKENS	(CDM_KEY_NFIELDS * CDM_KEY_FIELD_MAX)

/* Field weights of the distance. */
extern const double cdm_key_weight[CDM_KEY_NFIELDS];

/* Field names for the text form ("name", "email", "phone", "address", "f4".."f7"). */
extern const char *const cdm_key_field_name[CDM_KEY_NFIELDS];

/*
 * A key under construction: tokens are appended in any order; when the
 * buffer fills it is sorted, made distinct and cut to CDM_KEY_FIELD_MAX a
 * field (the bottom-k sample of the union is the bottom-k of the samples),
 * so any input length builds in this fixed space.  About 16 KB.
 */
#define CDM_KEY_BUILDER_CAP (CDM_KEY_MAX_TOKENS + 2048)

typedef struct CdmKeyBuilder
{
	uint32_t	field;			/* field of the next tokens, shifted */
	size_t		n;
	cdm_token	tok[CDM_KEY_BUILDER_CAP];
} CdmKeyBuilder;

extern void cdm_key_builder_init(CdmKeyBuilder *b);
extern void cdm_key_builder_field(CdmKeyBuilder *b, unsigned field);

/* Append one token: the field of the builder, class cls, the low 27 bits of h. */
extern void cdm_key_add(CdmKeyBuilder *b, unsigned cls, uint32_t h);

/* Sort, make distinct, cut each field; returns the token count (in b->tok). */
extern size_t cdm_key_finish(CdmKeyBuilder *b);

/*
 * The same normalisation on any array (the binary and text input of the
 * type): sorts in place, drops duplicates, keeps the CDM_KEY_FIELD_MAX
 * smallest tokens of each field.  Returns the new count.
 */
extern size_t cdm_key_normalise(cdm_token *tok, size_t n);

/* True if tok[0..n) is sorted, distinct and within the per-field limit. */
extern bool cdm_key_is_normal(const cdm_token *tok, size_t n);

/* Similarity in [0, 1] and distance 1 - similarity (see above). */
extern double cdm_key_similarity(const cdm_token *a, size_t na,
								 const cdm_token *b, size_t nb);
extern double cdm_key_distance(const cdm_token *a, size_t na,
							   const cdm_token *b, size_t nb);

/* Tokens per field: counts[f] for f < CDM_KEY_NFIELDS. */
extern void cdm_key_field_counts(const cdm_token *tok, size_t n,
								 size_t counts[CDM_KEY_NFIELDS]);

/*
 * Text form, for debugging and dump/restore: fields in order, each as its
 * name and its hashes in 8 hex digits, e.g.
 *     name(0001a2b3 1c00ff00) email(0aa00001)
 * The empty key is the empty string.  cdm_key_format writes at most
 * cdm_key_text_size(n) bytes (no NUL) and returns the length.
 */
extern size_t cdm_key_text_size(size_t n);
extern size_t cdm_key_format(const cdm_token *tok, size_t n, char *out);

/*
 * Parse the text form (white space between items is free; fields may come
 * in any order and repeat) into tok (capacity cap).  Returns the count
 * before normalisation, or -1 on a syntax error with *errpos the byte
 * offset of the problem.  More than cap tokens: returns the count needed.
 * The caller normalises (cdm_key_normalise).
 */
extern ptrdiff_t cdm_key_parse(const char *s, size_t len, cdm_token *tok,
							   size_t cap, size_t *errpos);

/* ------------------------------------------------------------ tokenizers */

/*
 * Name tokens, from folded text (cdm_fold: words separated by one space),
 * per word: an initial token (a word token of its first letter, so "J"
 * meets "John"; a one-letter word is an initial and gives only that and its
 * start bigram "$j", the end bigram and codes meeting nothing in a full
 * name), its padded bigrams ("$jo", "jo", ... as code-point pairs), its
 * Double Metaphone codes (primary and alternate, one token kind, so one
 * name's alternate meets another's primary), and, for words the nickname
 * table knows, their root (the word itself for a formal name) as a word
 * token; when the root differs from the word (a nickname), the root's codes
 * and initial instead of the word's own codes, so Bob and Robert share the
 * root, RPRT and r (Bob's PP met only names that sound like Bob: dropping
 * it raised nickname recall 0.758 -> 0.781).  (The root's bigrams were dropped:
 * on the KNN benchmark they cost 4% of the index and 0.006 of recall.
 * Word tokens for every formal name the table lists a nickname under, not
 * only the chosen root, cost 0.012 of recall, 0.065 on nicknames; the
 * root's bigrams, with initials, 0.020 and 0.049.)
 */
extern void cdm_key_add_name(CdmKeyBuilder *b, const cdm_char *folded, size_t n);

/*
 * Generic text tokens (invalid e-mail addresses): per word of the folded
 * text, its padded bigrams and the word itself.
 */
extern void cdm_key_add_words(CdmKeyBuilder *b, const cdm_char *folded, size_t n);

/*
 * E-mail tokens from a normalised address (cdm_email_norm, UTF-8): the
 * whole address, the local part without separators (. _ - +), the domain,
 * and the padded bigrams of that local part.
 */
extern void cdm_key_add_email(CdmKeyBuilder *b, const char *addr, size_t len);

/*
 * Phone tokens from a digit string (E.164 without '+', or the digits of a
 * number libphonenumber could not read): the whole number, its last 7
 * digits, and its digit trigrams.  Non-digits are skipped.
 */
extern void cdm_key_add_phone(CdmKeyBuilder *b, const char *digits, size_t len);

/*
 * Address tokens from a normalised line (cdm_address_norm_folded): every
 * word, and the padded bigrams of words of 3 or more letters.
 */
extern void cdm_key_add_address(CdmKeyBuilder *b, const char *line, size_t len);

#endif							/* CDM_KEY_H */
