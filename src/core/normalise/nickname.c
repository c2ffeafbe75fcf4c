/*
 * nickname.c - binary searches over the generated nickname table.
 */
#include "nickname.h"

#include <string.h>

/*
 * key[0..len) against a NUL-terminated table string, like strcmp, byte by
 * byte: strncmp would take a NUL in key for its end, find "jo\0x" equal to
 * "jo" and then read past the table string (fuzz_names found it).  A key
 * holding a NUL sorts by its bytes and matches no table string.
 */
static int
keycmp(const char *key, size_t len, const char *s)
{
	for (size_t i = 0; i < len; i++)
	{
		unsigned char k = (unsigned char) key[i];
		unsigned char c = (unsigned char) s[i];

		if (c == '\0')
			return 1;			/* s is a proper prefix of key */
		if (k != c)
			return k < c ? -1 : 1;
	}
	return s[len] == '\0' ? 0 : -1;
}

/* First pair index whose name is >= key. */
static size_t
lower_by_name(const char *key, size_t len)
{
	size_t		lo = 0,
				hi = cdm_nickname_npairs;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (keycmp(key, len, cdm_nickname_pairs[mid].name) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* First position in cdm_nickname_by_nickname whose nickname is >= key. */
static size_t
lower_by_nickname(const char *key, size_t len)
{
	size_t		lo = 0,
				hi = cdm_nickname_npairs;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (keycmp(key, len, cdm_nickname_pairs[cdm_nickname_by_nickname[mid]].nickname) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool
cdm_nickname_is_name(const char *key, size_t len)
{
	return cdm_nickname_count(key, len) > 0;
}

bool
cdm_nickname_is_nickname(const char *key, size_t len)
{
	size_t		i = lower_by_nickname(key, len);

	return i < cdm_nickname_npairs &&
		keycmp(key, len, cdm_nickname_pairs[cdm_nickname_by_nickname[i]].nickname) == 0;
}

size_t
cdm_nickname_count(const char *key, size_t len)
{
	size_t		i = lower_by_name(key, len);
	size_t		k = 0;

	if (len == 0 || len > CDM_NICKNAME_MAX_LEN)
		return 0;
	while (i + k < cdm_nickname_npairs &&
		   keycmp(key, len, cdm_nickname_pairs[i + k].name) == 0)
		k++;
	return k;
}

size_t
cdm_nickname_roots(const char *key, size_t len,
				   const char *out[CDM_NICKNAME_MAX_ROOTS])
{
	size_t		n = 0;
	size_t		i;
	const char *self = NULL;

	if (len == 0 || len > CDM_NICKNAME_MAX_LEN)
		return 0;
	i = lower_by_name(key, len);
	if (i < cdm_nickname_npairs && keycmp(key, len, cdm_nickname_pairs[i].name) == 0)
		self = cdm_nickname_pairs[i].name;

	/* The index lists the names of one nickname in byte order: merge self in. */
	for (i = lower_by_nickname(key, len); i < cdm_nickname_npairs; i++)
	{
		const CdmNicknamePair *p = &cdm_nickname_pairs[cdm_nickname_by_nickname[i]];

		if (keycmp(key, len, p->nickname) != 0)
			break;
		if (self && strcmp(self, p->name) < 0)
		{
			out[n++] = self;
			self = NULL;
		}
		if (!self || strcmp(self, p->name) != 0)
			out[n++] = p->name;
	}
	if (self)
		out[n++] = self;
	return n;
}

static size_t
common_prefix(const char *key, size_t len, const char *s)
{
	size_t		k = 0;

	while (k < len && s[k] == key[k])
		k++;
	return k;
}

/* Does the table list (name, nickname)? */
static bool
pair_exists(const char *name, const char *nickname)
{
	size_t		len = strlen(name);
	size_t		i = lower_by_name(name, len);

	for (; i < cdm_nickname_npairs && strcmp(cdm_nickname_pairs[i].name, name) == 0; i++)
	{
		if (strcmp(cdm_nickname_pairs[i].nickname, nickname) == 0)
			return true;
	}
	return false;
}

/*
 * How good a root candidate x is for key (the rule in nickname.h), in
 * integers: 2 * min(nicknames(x), 10) + 3 * common prefix + 8 * mutual
 * + 6 * self.  The cap keeps a hub of the data (marietta lists 15
 * nicknames, mary among them) from swallowing formal names.
 */
static int
root_score(const char *key, size_t len, const char *x)
{
	size_t		xlen = strlen(x);
	bool		self = keycmp(key, len, x) == 0;
	size_t		count = cdm_nickname_count(x, xlen);
	int			score = 2 * (int) (count < 10 ? count : 10) +
		3 * (int) common_prefix(key, len, x);

	if (self)
		return score + (len >= 4 ? 6 : 0);
	/* key is a nickname of x (x is a root); is x also one of key? */
	if (cdm_nickname_count(key, len) > 0)
	{
		char		k[CDM_NICKNAME_MAX_LEN + 1];

		memcpy(k, key, len);
		k[len] = '\0';
		if (pair_exists(k, x))
			score += 8;
	}
	return score;
}

/*
 * cdm's own choices for common nicknames whose relations in the data are
 * many-to-many (bill is listed under robert and william; chris under
 * eighteen names): the formal name an English-speaking customer base means
 * most often.  Each is one of the key's roots in the data (a unit test
 * checks), except maria, kept as a name of its own.  Sorted by key.
 */
static const struct
{
	const char *key;
	const char *root;
}			preferred_roots[] = {
	{"abby", "abigail"}, {"al", "albert"}, {"alex", "alexander"}, {"andy", "andrew"},
	{"becky", "rebecca"}, {"bill", "william"}, {"billy", "william"}, {"bobby", "robert"},
	{"chris", "christopher"}, {"debbie", "deborah"}, {"frank", "francis"},
	{"hank", "henry"}, {"harry", "henry"}, {"jeff", "jeffrey"}, {"jerry", "gerald"},
	{"jess", "jessica"}, {"jessie", "jessica"}, {"johnny", "john"}, {"katie", "kathryn"},
	{"les", "leslie"}, {"mandy", "amanda"}, {"manny", "manuel"}, {"maria", "maria"},
	{"molly", "mary"}, {"peggy", "margaret"}, {"phil", "philip"}, {"polly", "mary"},
	{"sally", "sarah"}, {"sam", "samuel"}, {"susie", "susan"}, {"tommy", "thomas"},
	{"tony", "anthony"}, {"val", "valerie"}, {"wendy", "gwendolyn"}, {"zach", "zachary"},
};

const char *
cdm_nickname_preferred_root(const char *key, size_t len)
{
	size_t		lo = 0,
				hi = sizeof(preferred_roots) / sizeof(preferred_roots[0]);

	while (lo < hi)
	{
		size_t		mid = (lo + hi) / 2;
		int			c = keycmp(key, len, preferred_roots[mid].key);

		if (c == 0)
			return preferred_roots[mid].root;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

size_t
cdm_nickname_npreferred(void)
{
	return sizeof(preferred_roots) / sizeof(preferred_roots[0]);
}

const char *
cdm_nickname_preferred_key(size_t i)
{
	return preferred_roots[i].key;
}

/* The scored choice among the data's roots (the rule in nickname.h). */
static const char *
scored_root(const char *key, size_t len)
{
	const char *roots[CDM_NICKNAME_MAX_ROOTS];
	size_t		n = cdm_nickname_roots(key, len, roots);
	const char *best = NULL;
	int			best_score = -1;

	/* roots are in byte order: a strictly higher score is needed to move on */
	for (size_t i = 0; i < n; i++)
	{
		int			s = root_score(key, len, roots[i]);

		if (s > best_score)
		{
			best = roots[i];
			best_score = s;
		}
	}
	return best;
}

const char *
cdm_nickname_root(const char *key, size_t len)
{
	const char *r = cdm_nickname_preferred_root(key, len);
	const char *next;

	if (r)
		return r;
	r = scored_root(key, len);

	/*
	 * Follow the choice while it moves (tom -> thomas, so tommy's tom goes
	 * on to thomas): then root(root(x)) = root(x).  Short chains only.
	 */
	for (int step = 0; r && step < 4; step++)
	{
		next = cdm_nickname_preferred_root(r, strlen(r));
		if (!next)
			next = scored_root(r, strlen(r));
		if (!next || strcmp(next, r) == 0)
			break;
		r = next;
	}
	return r;
}

bool
cdm_nickname_related(const char *a, size_t alen, const char *b, size_t blen)
{
	char		x[CDM_NICKNAME_MAX_LEN + 1];
	char		y[CDM_NICKNAME_MAX_LEN + 1];
	const char *ra,
			   *rb;

	if (alen == 0 || blen == 0 || alen > CDM_NICKNAME_MAX_LEN || blen > CDM_NICKNAME_MAX_LEN)
		return false;
	/* as C strings "bob\0x" would be bob; like keycmp, a NUL matches nothing */
	if (memchr(a, '\0', alen) != NULL || memchr(b, '\0', blen) != NULL)
		return false;
	memcpy(x, a, alen);
	x[alen] = '\0';
	memcpy(y, b, blen);
	y[blen] = '\0';
	if (pair_exists(x, y) || pair_exists(y, x))
		return true;
	ra = cdm_nickname_root(a, alen);
	rb = cdm_nickname_root(b, blen);
	return ra && rb && strcmp(ra, rb) == 0;
}
