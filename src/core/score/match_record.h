/*
 * match_record.h - compare two customer records role by role into a
 * comparison "pattern": one small agreement level per role, packed into a
 * uint64_t so that the patterns of millions of candidate pairs can be
 * sorted, counted and scored by table lookup (fs_model.h).
 *
 * Why levels and not similarities: the Fellegi-Sunter model learns, per
 * role and per level, how often matches (m) and non-matches (u) land there.
 * Discrete levels make EM run over DISTINCT patterns with counts (a few
 * thousand) instead of over every pair, and make scoring ~10 lookups.
 *
 * The PostgreSQL skin prepares every record once (fold, Double Metaphone,
 * nickname root, email split: cdm_match_name_prepare and friends below);
 * cdm_match_compare then touches no allocator, no ICU and no lock, and
 * costs well under a microsecond for a typical candidate pair (about
 * 0.2 us: the "bench:" line of test/unit/test_match.c).
 *
 * Level table (level 0 = missing on either side, always neutral: weight 0).
 * Lower numbers are better agreement; the last level is "else".
 *
 *   given_name, family_name (CDM_MATCH_NAME_NLEVELS = 8):
 *     1 exact       raw bytes equal
 *     2 folded      folded code points equal (case, accents, script)
 *     3 nickname or phonetic: the nickname table relates the folded names
 *                   (cdm_nickname_related: bob ~ robert), or both Double
 *                   Metaphone primary codes are equal and non-empty
 *                   (jon ~ john; Дмитрий -> dmitrij ~ dmitry)
 *     4 jw92        Jaro-Winkler >= 0.92
 *     5 jw80        Jaro-Winkler >= 0.80
 *     6 initial     one side is a single letter, the other's first letter
 *     7 else
 *     A single letter on one side is only ever level 1, 2, 6 or 7 (Jaro-
 *     Winkler of "j" against "john" means nothing).
 *     Swapped fields: if the straight comparison is not at level <= 3 for
 *     both names, the crosswise one is tried (a.given vs b.family and
 *     a.family vs b.given); when both crosswise levels are <= 3 and the
 *     worse of them is better than the worse straight level, both roles
 *     take that worse crosswise level ("John Smith" vs "Smith John": 1 and
 *     1; vs "Smith Jon": 3 and 3, whichever record comes first).
 *   dob (CDM_MATCH_DOB_NLEVELS = 7):
 *     1 exact  2 day and month swapped  3 year off by one (same month and
 *     day)  4 exactly one digit different in YYYYMMDD  5 else
 *     6 none of these but under CDM_DOB_NEAR_DAYS apart
 *   email (5): 1 address equal  2 local part equal (other domain)
 *     3 local parts Jaro-Winkler >= 0.88  4 else; levels 2 and 3 count
 *     as missing (0) when both names agree at level 3 or better: local
 *     parts spelt from the name (john.smith, jsmith76) say nothing more.
 *   phone (5): 1 equal  2 last 7 digits equal (both have >= 7)
 *     3 one edit apart (insert, delete or substitute one digit)  4 else
 *   address (4): 1 equal  2 word-set Jaccard >= 0.6 or Jaro-Winkler >= 0.9
 *     3 else
 *   city (4): 1 equal  2 Jaro-Winkler >= 0.9  3 else
 *   postcode (4): 1 equal  2 first 3 characters equal  3 else
 *   country (3): 1 equal  2 else
 *   organisation_name (6), compared as cdm.org_name_norm gives it (legal
 *     forms dropped), word by word: 1 equal  2 the words of one are all
 *     among the other's ("stagg" ~ "chicago public schools stagg")
 *     3 at least half the words of the shorter in the longer, or Jaro-
 *     Winkler >= 0.92  4 a word in common, or Jaro-Winkler >= 0.80  5 else
 *   domain (3): an organisation's web domain: 1 equal  2 else
 *
 * Jaro-Winkler is computed on the first 64 code points of each side (the
 * workspace-free path of cdm_jaro_winkler); values longer than that are
 * compared on that prefix (addresses, rarely).  Address words are split
 * at spaces; at most 32 words a side take part in the Jaccard.
 */
#ifndef CDM_MATCH_RECORD_H
#define CDM_MATCH_RECORD_H

#include "cdm_core.h"
#include "fs_model.h"

/* The roles, in pattern order (role r occupies bits 4r..4r+3). */
typedef enum CdmMatchRole
{
	CDM_ROLE_GIVEN_NAME = 0,
	CDM_ROLE_FAMILY_NAME,
	CDM_ROLE_DOB,
	CDM_ROLE_EMAIL,
	CDM_ROLE_PHONE,
	CDM_ROLE_ADDRESS,
	CDM_ROLE_CITY,
	CDM_ROLE_POSTCODE,
	CDM_ROLE_COUNTRY,
	CDM_ROLE_ORGANISATION_NAME,
	CDM_ROLE_DOMAIN,
	CDM_MATCH_NROLES
} CdmMatchRole;

/* Name levels (also used by the swap rule and the TF helper). */
enum
{
	CDM_NAME_EXACT = 1,
	CDM_NAME_FOLDED = 2,
	CDM_NAME_NICK_PHONETIC = 3,
	CDM_NAME_JW92 = 4,
	CDM_NAME_JW80 = 5,
	CDM_NAME_INITIAL = 6,
	CDM_NAME_ELSE = 7,
	CDM_MATCH_NAME_NLEVELS = 8	/* levels 0..7 */
};

enum
{
	CDM_DOB_EXACT = 1,
	CDM_DOB_DM_SWAP = 2,
	CDM_DOB_YEAR1 = 3,
	CDM_DOB_ONE_DIGIT = 4,
	CDM_DOB_ELSE = 5,
	CDM_DOB_NEAR = 6,			/* none of the above, under CDM_DOB_NEAR_DAYS
								 * apart (after ELSE so that models stored
								 * before it read it as ELSE) */
	CDM_MATCH_DOB_NLEVELS = 7
};

/*
 * Days apart under which two dates of birth that agree no other way are
 * "near": entry slips of a day, a week or a month (2019-03-16 / 2019-04-15),
 * and a year and a month (1978-02-01 / 1977-01-01), as Splink's fake_1000
 * writes them.  Years apart stay "else".
 */
#define CDM_DOB_NEAR_DAYS 400

/* Number of levels (0 included) of each role, indexed by CdmMatchRole. */
extern const int cdm_match_nlevels[CDM_MATCH_NROLES];

/* Role names as the skin spells them ("given_name", ...), for messages. */
extern const char *const cdm_match_role_names[CDM_MATCH_NROLES];

/*
 * Date of birth as y * 10000 + m * 100 + d (19800131), readable and cheap
 * to compare digit by digit.  0 means missing; so does anything outside
 * 1..99991231 (the comparison treats such values as missing).
 */
#define CDM_DOB_MISSING 0

/* Folded text: code points, one space between words; len 0 = missing. */
typedef struct CdmMatchText
{
	const cdm_char *s;
	uint32_t	len;
} CdmMatchText;

/*
 * A given or family name.  folded/len: cdm_fold output (len 0 = missing).
 * raw/rawlen: the value as stored, for the "exact" level (may be NULL/0:
 * then level 1 is never reached).  dm, nick_root and in_nick are derived
 * by cdm_match_name_prepare; tf is the skin's relative frequency of the
 * folded value in its table (0 = unknown, no TF adjustment).
 */
typedef struct CdmMatchName
{
	const cdm_char *folded;
	const char *raw;
	uint32_t	len;
	uint32_t	rawlen;
	uint32_t	dm;				/* Double Metaphone primary, packed (below) */
	uint32_t	nick_root;		/* hash of cdm_nickname_root, 0 = none */
	uint32_t	nick_self;		/* hash of the folded name if the nickname
								 * table knows it, else 0 */
	uint64_t	nick_roots;		/* Bloom filter of the hashes of the formal
								 * names it is a nickname of (itself included
								 * when it is one) */
	double		tf;
} CdmMatchName;

/* Email: the normalised address bytes and where its local part ends. */
typedef struct CdmMatchEmail
{
	const char *addr;
	uint32_t	len;			/* 0 = missing */
	uint32_t	local_len;		/* bytes before the last '@' (len if none) */
} CdmMatchEmail;

/* Phone: E.164 digits only, no '+' (len 0 = missing). */
typedef struct CdmMatchPhone
{
	const char *digits;
	uint32_t	len;
} CdmMatchPhone;

typedef struct CdmMatchRecord
{
	CdmMatchName given;
	CdmMatchName family;
	int32_t		dob;
	CdmMatchEmail email;
	CdmMatchPhone phone;
	CdmMatchText address;
	CdmMatchText city;
	CdmMatchText postcode;
	CdmMatchText country;
	CdmMatchText org;			/* cdm_org_name_norm_folded form */
	CdmMatchText domain;		/* web domain: lower case, no scheme, www. or path */
} CdmMatchRecord;

/*
 * Fill a CdmMatchName from the folded code points (kept by pointer, must
 * outlive the record) and the raw bytes (likewise).  Computes:
 *   dm: the Double Metaphone primary code of the folded name, its (at most
 *       4) ASCII letters packed big-endian into 32 bits ("JN" = 0x4A4E0000),
 *       0 when the name has no code.  Exact, no hashing: equal codes <=>
 *       equal dm.
 *   nick_root: FNV-1a 32-bit hash of cdm_nickname_root of the folded name
 *       (0 when it has no root; never 0 otherwise).  The unit tests check
 *       that no two roots of the table collide.
 *   nick_self, nick_roots: for "one is listed under the other" without a
 *       table search per pair: a and b are related when their roots are
 *       equal, or b's nick_self is in a's nick_roots or the other way
 *       round.  The Bloom filter (64 bits, two bits a root) can say "maybe"
 *       wrongly; only then is cdm_nickname_related asked (exact answer),
 *       so a pair of unrelated table names (john / mary) costs two AND
 *       operations, not four binary searches.
 * tf is set to 0; the skin sets it afterwards when it has frequencies.
 */
extern void cdm_match_name_prepare(CdmMatchName *name,
								   const cdm_char *folded, size_t len,
								   const char *raw, size_t rawlen);

/* Fill an email from normalised address bytes (split at the last '@'). */
extern void cdm_match_email_prepare(CdmMatchEmail *email,
									const char *addr, size_t len);

/* Pattern packing. */
static inline int
cdm_match_level(uint64_t pattern, int role)
{
	return (int) ((pattern >> (4 * role)) & 15);
}

static inline uint64_t
cdm_match_set_level(uint64_t pattern, int role, int level)
{
	return (pattern & ~((uint64_t) 15 << (4 * role))) |
		((uint64_t) (level & 15) << (4 * role));
}

/* The pattern of a candidate pair (symmetric: compare(a,b) = compare(b,a)). */
extern uint64_t cdm_match_compare(const CdmMatchRecord *a,
								  const CdmMatchRecord *b);

/*
 * Term frequencies for the TF adjustment of fs_model.h: tf[r] is set, for
 * the name roles whose level in pattern is exact or folded AND whose
 * straight values are folded-equal (not after a swap), to the larger of
 * the two sides' tf (the more common reading: a conservative, weaker
 * adjustment; a side with tf 0 = unknown is ignored); to 0 elsewhere.
 */
extern void cdm_match_tf(const CdmMatchRecord *a, const CdmMatchRecord *b,
						 uint64_t pattern, double tf[CDM_MATCH_NROLES]);

/*
 * The whole scoring step of one candidate pair: compare, TF (when the
 * model has it), weight.  The pattern goes to *pattern when not NULL (for
 * an explain output or pattern counts).  cdm_fs_probability of the result
 * is the pair's match probability.
 */
extern double cdm_match_weight(const CdmFsModel *model, const CdmMatchRecord *a,
							   const CdmMatchRecord *b, uint64_t *pattern);

/* The role comparisons, one by one (the same code cdm_match_compare runs). */
extern int	cdm_match_name_level(const CdmMatchName *a, const CdmMatchName *b);
extern int	cdm_match_dob_level(int32_t a, int32_t b);
extern int	cdm_match_email_level(const CdmMatchEmail *a, const CdmMatchEmail *b);
extern int	cdm_match_phone_level(const CdmMatchPhone *a, const CdmMatchPhone *b);
extern int	cdm_match_address_level(const CdmMatchText *a, const CdmMatchText *b);
extern int	cdm_match_city_level(const CdmMatchText *a, const CdmMatchText *b);
extern int	cdm_match_postcode_level(const CdmMatchText *a, const CdmMatchText *b);
extern int	cdm_match_country_level(const CdmMatchText *a, const CdmMatchText *b);
extern int	cdm_match_org_level(const CdmMatchText *a, const CdmMatchText *b);
extern int	cdm_match_domain_level(const CdmMatchText *a, const CdmMatchText *b);

/*
 * Years apart at which two dates of birth are taken for two generations: a
 * father and a son who share a name and an address are at least this far
 * apart, while a person's records can carry slips and stale values closer
 * than that (3 years instead of 15 cost 0.016 of cluster recall on FEBRL3
 * and 0.15 on Splink's fake_1000).  Siblings and twins are told apart by
 * their given names in the score, not by this guard.  The price: FEBRL's
 * duplicates whose dob was rewritten 15+ years away stay apart (3.8% of
 * FEBRL3's true pairs), as a father and son would.
 */
#define CDM_DOB_CONFLICT_YEARS 15

/*
 * Cannot-link for clustering: both dobs present, at level "else" (not
 * equal, not a day/month swap, not a year off by one, not one digit off)
 * and CDM_DOB_CONFLICT_YEARS or more years apart.  A father and son with
 * the same name at one address differ here.
 */
static inline bool
cdm_match_dob_conflict(int32_t a, int32_t b)
{
	int32_t		years = a / 10000 - b / 10000;

	if (years < 0)
		years = -years;
	return years >= CDM_DOB_CONFLICT_YEARS && cdm_match_dob_level(a, b) == CDM_DOB_ELSE;
}

/*
 * An organisation against a person: one record has an organisation name
 * and no personal name, the other a personal name (with or without an
 * organisation: a person's record may carry the organisation they work
 * for, and compares with other people's, never with the organisation's
 * own record).  A record without either is neither.
 */
extern bool cdm_match_kind_conflict(const CdmMatchRecord *a,
									const CdmMatchRecord *b);

/*
 * Two sites of one organisation: both records are organisations' (an
 * organisation name, no personal name) and their addresses are both given
 * and at level "different" in pattern.  Organisations are matched per
 * site: an agency's name and head-office phone on every site's record
 * must not merge the sites.  Callers let a shared national id (a tax
 * number: a company that moved) overrule it.
 */
extern bool cdm_match_sites_apart(const CdmMatchRecord *a, const CdmMatchRecord *b,
								  uint64_t pattern);

/* Cannot-link for clustering: the dob conflict above or the kind conflict. */
extern bool cdm_match_cannot_link(const CdmMatchRecord *a,
								  const CdmMatchRecord *b);

/*
 * A model for cdm's eleven roles, ready for training: nlevels from the table
 * above, TF on the two name roles at levels exact and folded, lambda 0.01,
 * tf_floor CDM_FS_TF_FLOOR_DEFAULT, and starting m and u values that are
 * plausible for people records (m: duplicates mostly agree exactly; u:
 * strangers in one block rarely do).  EM starts from these m; u is meant
 * to be replaced by cdm_fs_estimate_u on random pairs.  The values are in
 * match_record.c (model_m, model_u).
 */
extern void cdm_match_model_init(CdmFsModel *model);

/*
 * A model trained before cdm compared its last roles (a stored model of
 * nine roles, before organisation_name and domain): those roles are added neutral
 * (m = u, weight 0), so the model scores as it did.  Models of
 * CDM_MATCH_NROLES roles or more are left alone.
 */
extern void cdm_match_model_complete(CdmFsModel *model);

#endif							/* CDM_MATCH_RECORD_H */
