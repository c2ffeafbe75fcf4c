/*
 * match_record.c - role-by-role comparison of two prepared records into a
 * packed pattern of agreement levels (the table is in match_record.h).
 *
 * Every branch tries the cheap tests first (equality, integer codes) and
 * reaches Jaro-Winkler only when they fail, so a pair of duplicates costs
 * a few memcmp calls and a pair of strangers a few bit-parallel JW runs.
 */
#include "match_record.h"

#include "dmetaphone.h"
#include "jaro.h"
#include "nickname.h"

#include <string.h>

const int	cdm_match_nlevels[CDM_MATCH_NROLES] = {
	CDM_MATCH_NAME_NLEVELS, CDM_MATCH_NAME_NLEVELS, CDM_MATCH_DOB_NLEVELS,
	5, 5, 4, 4, 4, 3, 6, 3
};

const char *const cdm_match_role_names[CDM_MATCH_NROLES] = {
	"given_name", "family_name", "dob", "email", "phone", "address",
	"city", "postcode", "country", "organisation_name", "domain"
};

/* JW's workspace-free path: at most 64 code points a side. */
#define JW_MAX 64

static double
jw64(const cdm_char *a, size_t m, const cdm_char *b, size_t n)
{
	return cdm_jaro_winkler(a, m < JW_MAX ? m : JW_MAX,
							b, n < JW_MAX ? n : JW_MAX, NULL);
}

/* JW of two byte strings (ASCII in practice: email local parts). */
static double
jw_bytes(const char *a, size_t m, const char *b, size_t n)
{
	cdm_char	ca[JW_MAX],
				cb[JW_MAX];

	if (m > JW_MAX)
		m = JW_MAX;
	if (n > JW_MAX)
		n = JW_MAX;
	for (size_t i = 0; i < m; i++)
		ca[i] = (unsigned char) a[i];
	for (size_t i = 0; i < n; i++)
		cb[i] = (unsigned char) b[i];
	return cdm_jaro_winkler(ca, m, cb, n, NULL);
}

static bool
cps_equal(const cdm_char *a, size_t m, const cdm_char *b, size_t n)
{
	return m == n && memcmp(a, b, m * sizeof(cdm_char)) == 0;
}

static bool
text_equal(const CdmMatchText *a, const CdmMatchText *b)
{
	return cps_equal(a->s, a->len, b->s, b->len);
}

static uint32_t
fnv1a32(const char *s, size_t n)
{
	uint32_t	h = 2166136261u;

	for (size_t i = 0; i < n; i++)
	{
		h ^= (unsigned char) s[i];
		h *= 16777619u;
	}
	return h ? h : 1;
}

/* Two bits of a 64-bit Bloom filter for a 32-bit hash. */
static uint64_t
bloom_bits(uint32_t h)
{
	return ((uint64_t) 1 << (h & 63)) | ((uint64_t) 1 << ((h >> 6) & 63));
}

static bool
bloom_has(uint64_t bloom, uint32_t h)
{
	uint64_t	b = bloom_bits(h);

	return (bloom & b) == b;
}

/*
 * The folded name as ASCII bytes for the nickname table, or false when it
 * cannot be a key (too long, not ASCII).
 */
static bool
name_key(const cdm_char *s, size_t n, char out[CDM_NICKNAME_MAX_LEN + 1])
{
	if (n == 0 || n > CDM_NICKNAME_MAX_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
	{
		if (s[i] >= 0x80)
			return false;
		out[i] = (char) s[i];
	}
	out[n] = '\0';
	return true;
}

void
cdm_match_name_prepare(CdmMatchName *name, const cdm_char *folded, size_t len,
					   const char *raw, size_t rawlen)
{
	char		primary[CDM_DMETAPHONE_MAXLEN + 1];
	char		alternate[CDM_DMETAPHONE_MAXLEN + 1];
	char		key[CDM_NICKNAME_MAX_LEN + 1];
	const char *root;

	memset(name, 0, sizeof(*name));
	name->folded = folded;
	name->len = (uint32_t) len;
	name->raw = raw;
	name->rawlen = (uint32_t) rawlen;
	if (len == 0)
		return;
	cdm_dmetaphone(folded, len, primary, alternate);
	for (int i = 0; i < CDM_DMETAPHONE_MAXLEN && primary[i]; i++)
		name->dm |= (uint32_t) (unsigned char) primary[i] << (24 - 8 * i);
	if (name_key(folded, len, key) &&
		(cdm_nickname_is_name(key, len) || cdm_nickname_is_nickname(key, len)))
	{
		const char *roots[CDM_NICKNAME_MAX_ROOTS];
		size_t		nroots = cdm_nickname_roots(key, len, roots);

		name->nick_self = fnv1a32(key, len);
		for (size_t i = 0; i < nroots; i++)
			name->nick_roots |= bloom_bits(fnv1a32(roots[i], strlen(roots[i])));
		root = cdm_nickname_root(key, len);
		if (root)
			name->nick_root = fnv1a32(root, strlen(root));
	}
}

void
cdm_match_email_prepare(CdmMatchEmail *email, const char *addr, size_t len)
{
	const char *at = NULL;

	for (size_t i = 0; i < len; i++)
		if (addr[i] == '@')
			at = addr + i;
	email->addr = addr;
	email->len = (uint32_t) len;
	email->local_len = (uint32_t) (at ? (size_t) (at - addr) : len);
}

/* ---------------------------------------------------------------- names */

static bool
nickname_related(const CdmMatchName *a, const CdmMatchName *b)
{
	char		ka[CDM_NICKNAME_MAX_LEN + 1],
				kb[CDM_NICKNAME_MAX_LEN + 1];

	if (a->nick_self == 0 || b->nick_self == 0)
		return false;
	if (a->nick_root != 0 && a->nick_root == b->nick_root)
		return true;
	if (!bloom_has(a->nick_roots, b->nick_self) &&
		!bloom_has(b->nick_roots, a->nick_self))
		return false;
	return name_key(a->folded, a->len, ka) && name_key(b->folded, b->len, kb) &&
		cdm_nickname_related(ka, a->len, kb, b->len);
}

/*
 * Levels 0..3 (the ones without Jaro-Winkler), or CDM_NAME_ELSE for
 * anything worse: what the swap rule needs.
 */
static int
name_level_cheap(const CdmMatchName *a, const CdmMatchName *b)
{
	if (a->len == 0 || b->len == 0)
		return 0;
	if (a->rawlen > 0 && a->rawlen == b->rawlen &&
		memcmp(a->raw, b->raw, a->rawlen) == 0)
		return CDM_NAME_EXACT;
	if (cps_equal(a->folded, a->len, b->folded, b->len))
		return CDM_NAME_FOLDED;
	if (a->len == 1 || b->len == 1)
		return CDM_NAME_ELSE;
	if ((a->dm != 0 && a->dm == b->dm) || nickname_related(a, b))
		return CDM_NAME_NICK_PHONETIC;
	return CDM_NAME_ELSE;
}

int
cdm_match_name_level(const CdmMatchName *a, const CdmMatchName *b)
{
	int			l = name_level_cheap(a, b);
	double		jw;

	if (l != CDM_NAME_ELSE)
		return l;
	if (a->len == 1 || b->len == 1)
		return a->folded[0] == b->folded[0] ? CDM_NAME_INITIAL : CDM_NAME_ELSE;
	jw = jw64(a->folded, a->len, b->folded, b->len);
	if (jw >= 0.92)
		return CDM_NAME_JW92;
	if (jw >= 0.80)
		return CDM_NAME_JW80;
	return CDM_NAME_ELSE;
}

static int
worse(int x, int y)
{
	return x > y ? x : y;
}

/* Straight levels, replaced by the crosswise ones when the fields are swapped. */
static void
names_levels(const CdmMatchRecord *a, const CdmMatchRecord *b,
			 int *given, int *family)
{
	int			g = cdm_match_name_level(&a->given, &b->given);
	int			f = cdm_match_name_level(&a->family, &b->family);

	if (g != 0 && f != 0 && worse(g, f) > CDM_NAME_NICK_PHONETIC)
	{
		int			cg = name_level_cheap(&a->given, &b->family);
		int			cf = name_level_cheap(&a->family, &b->given);

		/*
		 * Both roles take the worse crosswise level: which crosswise pair
		 * holds the given names depends on which record is the swapped one,
		 * so neither role can claim the better level, and taking a's view
		 * (g = cg) made compare(a, b) differ from compare(b, a) when the two
		 * levels differ ("John Smith" / "Smith Jon": 3, 1 one way and 1, 3
		 * the other; fuzz_match found it).
		 */
		if (worse(cg, cf) <= CDM_NAME_NICK_PHONETIC && worse(cg, cf) < worse(g, f))
			g = f = worse(cg, cf);
	}
	*given = g;
	*family = f;
}

/* ---------------------------------------------------------------- dob */

static bool
dob_valid(int32_t d)
{
	return d >= 1 && d <= 99991231;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t		era;
	int64_t		yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
cdm_match_dob_level(int32_t a, int32_t b)
{
	int			ya = a / 10000,
				ma = a / 100 % 100,
				da = a % 100;
	int			yb = b / 10000,
				mb = b / 100 % 100,
				db = b % 100;
	int			diff = 0;

	if (!dob_valid(a) || !dob_valid(b))
		return 0;
	if (a == b)
		return CDM_DOB_EXACT;
	if (ya == yb && ma == db && da == mb)
		return CDM_DOB_DM_SWAP;
	if (ma == mb && da == db && (ya - yb == 1 || yb - ya == 1))
		return CDM_DOB_YEAR1;
	for (int i = 0; i < 8; i++, a /= 10, b /= 10)
		diff += (a % 10) != (b % 10);
	if (diff == 1)
		return CDM_DOB_ONE_DIGIT;
	{
		int64_t		days = days_from_civil(ya, ma, da) - days_from_civil(yb, mb, db);

		if (days < 0)
			days = -days;
		return days < CDM_DOB_NEAR_DAYS ? CDM_DOB_NEAR : CDM_DOB_ELSE;
	}
}

/* 'o': an organisation's record, 'p': a person's, 0: cannot tell. */
static char
record_kind(const CdmMatchRecord *r)
{
	bool		person = r->given.len > 0 || r->family.len > 0;

	if (person)
		return 'p';
	return r->org.len > 0 ? 'o' : 0;
}

bool
cdm_match_kind_conflict(const CdmMatchRecord *a, const CdmMatchRecord *b)
{
	char		ka = record_kind(a),
				kb = record_kind(b);

	return ka && kb && ka != kb;
}

bool
cdm_match_sites_apart(const CdmMatchRecord *a, const CdmMatchRecord *b, uint64_t pattern)
{
	return record_kind(a) == 'o' && record_kind(b) == 'o' &&
		cdm_match_level(pattern, CDM_ROLE_ADDRESS) == cdm_match_nlevels[CDM_ROLE_ADDRESS] - 1;
}

bool
cdm_match_cannot_link(const CdmMatchRecord *a, const CdmMatchRecord *b)
{
	return cdm_match_dob_conflict(a->dob, b->dob) || cdm_match_kind_conflict(a, b);
}

/* ---------------------------------------------------------------- email, phone */

int
cdm_match_email_level(const CdmMatchEmail *a, const CdmMatchEmail *b)
{
	if (a->len == 0 || b->len == 0)
		return 0;
	if (a->len == b->len && memcmp(a->addr, b->addr, a->len) == 0)
		return 1;
	if (a->local_len == b->local_len && memcmp(a->addr, b->addr, a->local_len) == 0)
		return 2;
	if (a->local_len > 0 && b->local_len > 0 &&
		jw_bytes(a->addr, a->local_len, b->addr, b->local_len) >= 0.88)
		return 3;
	return 4;
}

/*
 * At most one insertion, deletion or substitution apart (equal strings
 * excluded by the caller).  Linear, no workspace: phone numbers only need
 * the "distance 1" question, not the distance.
 */
static bool
one_edit(const char *a, size_t m, const char *b, size_t n)
{
	size_t		i = 0;

	if (m > n)
		return one_edit(b, n, a, m);
	if (n - m > 1)
		return false;
	while (i < m && a[i] == b[i])
		i++;
	if (m == n)					/* skip one substitution */
		return memcmp(a + i + 1, b + i + 1, m - i - 1) == 0;
	return memcmp(a + i, b + i + 1, m - i) == 0;	/* b has one more */
}

int
cdm_match_phone_level(const CdmMatchPhone *a, const CdmMatchPhone *b)
{
	if (a->len == 0 || b->len == 0)
		return 0;
	if (a->len == b->len && memcmp(a->digits, b->digits, a->len) == 0)
		return 1;
	if (a->len >= 7 && b->len >= 7 &&
		memcmp(a->digits + a->len - 7, b->digits + b->len - 7, 7) == 0)
		return 2;
	if (one_edit(a->digits, a->len, b->digits, b->len))
		return 3;
	return 4;
}

/* ---------------------------------------------------------------- text roles */

#define MAX_WORDS 32

/* Sorted distinct FNV-1a 64-bit hashes of the space-separated words. */
static int
word_hashes(const CdmMatchText *t, uint64_t out[MAX_WORDS])
{
	int			k = 0,
				u = 0;
	uint64_t	h = 14695981039346656037ULL;
	bool		inword = false;

	for (uint32_t i = 0; i <= t->len && k < MAX_WORDS; i++)
	{
		if (i == t->len || t->s[i] == ' ')
		{
			if (inword)
				out[k++] = h;
			h = 14695981039346656037ULL;
			inword = false;
			continue;
		}
		h = (h ^ t->s[i]) * 1099511628211ULL;
		inword = true;
	}
	for (int i = 1; i < k; i++)	/* insertion sort: a handful of words */
	{
		uint64_t	v = out[i];
		int			j = i;

		for (; j > 0 && out[j - 1] > v; j--)
			out[j] = out[j - 1];
		out[j] = v;
	}
	for (int i = 0; i < k; i++)
		if (u == 0 || out[u - 1] != out[i])
			out[u++] = out[i];
	return u;
}

/* Distinct words of a and b (*na, *nb) and how many they share. */
static int
words_in_common(const CdmMatchText *a, const CdmMatchText *b, int *na, int *nb)
{
	uint64_t	ha[MAX_WORDS],
				hb[MAX_WORDS];
	int			i = 0,
				j = 0,
				inter = 0;

	*na = word_hashes(a, ha);
	*nb = word_hashes(b, hb);
	while (i < *na && j < *nb)
	{
		if (ha[i] == hb[j])
			inter++, i++, j++;
		else if (ha[i] < hb[j])
			i++;
		else
			j++;
	}
	return inter;
}

static bool
jaccard_at_least_06(const CdmMatchText *a, const CdmMatchText *b)
{
	int			na,
				nb,
				inter = words_in_common(a, b, &na, &nb);

	/* inter / union >= 3/5, in integers */
	return na + nb > 0 && 5 * inter >= 3 * (na + nb - inter);
}

int
cdm_match_address_level(const CdmMatchText *a, const CdmMatchText *b)
{
	if (a->len == 0 || b->len == 0)
		return 0;
	if (text_equal(a, b))
		return 1;
	if (jaccard_at_least_06(a, b) || jw64(a->s, a->len, b->s, b->len) >= 0.9)
		return 2;
	return 3;
}

int
cdm_match_city_level(const CdmMatchText *a, const CdmMatchText *b)
{
	if (a->len == 0 || b->len == 0)
		return 0;
	if (text_equal(a, b))
		return 1;
	return jw64(a->s, a->len, b->s, b->len) >= 0.9 ? 2 : 3;
}

int
cdm_match_postcode_level(const CdmMatchText *a, const CdmMatchText *b)
{
	if (a->len == 0 || b->len == 0)
		return 0;
	if (text_equal(a, b))
		return 1;
	if (a->len >= 3 && b->len >= 3 && memcmp(a->s, b->s, 3 * sizeof(cdm_char)) == 0)
		return 2;
	return 3;
}

int
cdm_match_country_level(const CdmMatchText *a, const CdmMatchText *b)
{
	if (a->len == 0 || b->len == 0)
		return 0;
	return text_equal(a, b) ? 1 : 2;
}

int
cdm_match_domain_level(const CdmMatchText *a, const CdmMatchText *b)
{
	if (a->len == 0 || b->len == 0)
		return 0;
	return text_equal(a, b) ? 1 : 2;
}

int
cdm_match_org_level(const CdmMatchText *a, const CdmMatchText *b)
{
	int			na,
				nb,
				inter,
				fewer;
	double		jw;

	if (a->len == 0 || b->len == 0)
		return 0;
	if (text_equal(a, b))
		return 1;
	inter = words_in_common(a, b, &na, &nb);
	fewer = na < nb ? na : nb;
	if (fewer > 0 && inter == fewer)
		return 2;
	if (2 * inter >= fewer && inter > 0)
		return 3;
	jw = jw64(a->s, a->len, b->s, b->len);
	if (jw >= 0.92)
		return 3;
	return inter > 0 || jw >= 0.80 ? 4 : 5;
}

/* ---------------------------------------------------------------- the pair */

uint64_t
cdm_match_compare(const CdmMatchRecord *a, const CdmMatchRecord *b)
{
	uint64_t	p = 0;
	int			g,
				f;

	int			e;

	names_levels(a, b, &g, &f);
	p |= (uint64_t) g << (4 * CDM_ROLE_GIVEN_NAME);
	p |= (uint64_t) f << (4 * CDM_ROLE_FAMILY_NAME);
	p |= (uint64_t) cdm_match_dob_level(a->dob, b->dob) << (4 * CDM_ROLE_DOB);
	e = cdm_match_email_level(&a->email, &b->email);
	/*
	 * Local parts are mostly spelt from the name (john.smith, jsmith76):
	 * when the names already agree, alike local parts at other addresses
	 * repeat that evidence -- every John Smith has one -- so they count as
	 * nothing (level 0) instead of counting twice.
	 */
	if ((e == 2 || e == 3) && g >= 1 && g <= CDM_NAME_NICK_PHONETIC &&
		f >= 1 && f <= CDM_NAME_NICK_PHONETIC)
		e = 0;
	p |= (uint64_t) e << (4 * CDM_ROLE_EMAIL);
	p |= (uint64_t) cdm_match_phone_level(&a->phone, &b->phone) << (4 * CDM_ROLE_PHONE);
	p |= (uint64_t) cdm_match_address_level(&a->address, &b->address) << (4 * CDM_ROLE_ADDRESS);
	p |= (uint64_t) cdm_match_city_level(&a->city, &b->city) << (4 * CDM_ROLE_CITY);
	p |= (uint64_t) cdm_match_postcode_level(&a->postcode, &b->postcode) << (4 * CDM_ROLE_POSTCODE);
	p |= (uint64_t) cdm_match_country_level(&a->country, &b->country) << (4 * CDM_ROLE_COUNTRY);
	p |= (uint64_t) cdm_match_org_level(&a->org, &b->org) << (4 * CDM_ROLE_ORGANISATION_NAME);
	p |= (uint64_t) cdm_match_domain_level(&a->domain, &b->domain) << (4 * CDM_ROLE_DOMAIN);
	return p;
}

static double
tf_of(const CdmMatchName *a, const CdmMatchName *b, int level)
{
	if (level != CDM_NAME_EXACT && level != CDM_NAME_FOLDED)
		return 0;
	if (!cps_equal(a->folded, a->len, b->folded, b->len))
		return 0;				/* the level came from the swap rule */
	return a->tf > b->tf ? a->tf : b->tf;
}

void
cdm_match_tf(const CdmMatchRecord *a, const CdmMatchRecord *b,
			 uint64_t pattern, double tf[CDM_MATCH_NROLES])
{
	for (int r = 0; r < CDM_MATCH_NROLES; r++)
		tf[r] = 0;
	tf[CDM_ROLE_GIVEN_NAME] = tf_of(&a->given, &b->given,
									cdm_match_level(pattern, CDM_ROLE_GIVEN_NAME));
	tf[CDM_ROLE_FAMILY_NAME] = tf_of(&a->family, &b->family,
									 cdm_match_level(pattern, CDM_ROLE_FAMILY_NAME));
}

double
cdm_match_weight(const CdmFsModel *model, const CdmMatchRecord *a,
				 const CdmMatchRecord *b, uint64_t *pattern)
{
	uint64_t	p = cdm_match_compare(a, b);
	double		tf[CDM_MATCH_NROLES];

	if (pattern)
		*pattern = p;
	cdm_match_tf(a, b, p, tf);
	return cdm_fs_weight_tf(model, p, tf);
}

/* ---------------------------------------------------------------- the model */

/* Starting m and u per role, levels 1.. (see cdm_match_model_init). */
static const double model_m[CDM_MATCH_NROLES][7] = {
	{0.70, 0.10, 0.05, 0.05, 0.04, 0.03, 0.03},	/* given_name */
	{0.75, 0.08, 0.04, 0.05, 0.03, 0.02, 0.03},	/* family_name */
	{0.83, 0.02, 0.03, 0.05, 0.05, 0.02},	/* dob */
	{0.80, 0.05, 0.05, 0.10},	/* email */
	{0.80, 0.05, 0.05, 0.10},	/* phone */
	{0.70, 0.20, 0.10},			/* address */
	{0.85, 0.10, 0.05},			/* city */
	{0.85, 0.10, 0.05},			/* postcode */
	{0.98, 0.02},				/* country */
	{0.60, 0.25, 0.08, 0.04, 0.03},	/* organisation_name */
	{0.95, 0.05},				/* domain */
};
static const double model_u[CDM_MATCH_NROLES][7] = {
	{0.005, 0.002, 0.005, 0.01, 0.05, 0.02, 0.908},
	{0.005, 0.002, 0.005, 0.01, 0.05, 0.01, 0.918},
	{0.0001, 0.00001, 0.0001, 0.001, 0.98379, 0.015},
	{0.00001, 0.0001, 0.001, 0.99889},
	{0.00001, 0.0001, 0.0001, 0.99979},
	{0.0001, 0.001, 0.9989},
	{0.05, 0.01, 0.94},
	{0.01, 0.05, 0.94},
	{0.5, 0.5},
	{0.001, 0.005, 0.02, 0.1, 0.874},
	{0.001, 0.999},
};

void
cdm_match_model_init(CdmFsModel *model)
{
	memset(model, 0, sizeof(*model));
	model->nroles = CDM_MATCH_NROLES;
	model->lambda = 0.01;
	model->tf_floor = CDM_FS_TF_FLOOR_DEFAULT;
	for (int r = 0; r < CDM_MATCH_NROLES; r++)
	{
		CdmFsRole  *role = &model->role[r];

		role->nlevels = cdm_match_nlevels[r];
		role->tf_levels = (r == CDM_ROLE_GIVEN_NAME || r == CDM_ROLE_FAMILY_NAME) ?
			CDM_NAME_FOLDED : 0;
		for (int l = 1; l < role->nlevels; l++)
		{
			role->m[l] = model_m[r][l - 1];
			role->u[l] = model_u[r][l - 1];
		}
	}
	cdm_fs_model_prepare(model);
}

void
cdm_match_model_complete(CdmFsModel *model)
{
	/*
	 * Levels a later cdm appended to a role refine its last level ("else"):
	 * a stored model reads them with that level's m and u, so it scores
	 * every pair exactly as before (dob "near" came after "else").
	 */
	for (int r = 0; r < model->nroles && r < CDM_MATCH_NROLES; r++)
	{
		CdmFsRole  *role = &model->role[r];
		int			last = role->nlevels - 1;

		if (last < 1 || role->nlevels >= cdm_match_nlevels[r])
			continue;
		for (int l = role->nlevels; l < cdm_match_nlevels[r]; l++)
		{
			role->m[l] = role->m[last];
			role->u[l] = role->u[last];
		}
		role->nlevels = cdm_match_nlevels[r];
	}
	if (model->nroles >= CDM_MATCH_NROLES)
	{
		cdm_fs_model_prepare(model);
		return;
	}
	for (int r = model->nroles; r < CDM_MATCH_NROLES; r++)
	{
		CdmFsRole  *role = &model->role[r];

		memset(role, 0, sizeof(*role));
		role->nlevels = cdm_match_nlevels[r];
		for (int l = 1; l < role->nlevels; l++)
			role->m[l] = role->u[l] = 1.0 / (role->nlevels - 1);
	}
	model->nroles = CDM_MATCH_NROLES;
	cdm_fs_model_prepare(model);
}
