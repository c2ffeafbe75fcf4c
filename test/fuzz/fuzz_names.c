/*
 * fuzz_names.c - normalise/ and compare/: personal names parsed into parts
 * (cdm_name_parse, cdm_name_part, cdm_name_token_word), compared
 * (cdm_name_similarity) and the nickname table (cdm_nickname_*).
 *
 * Input: option byte (bit 0: raw bytes as code points when not UTF-8),
 * then names a and b.
 *
 * Invariants:
 *   - parsing: a retry with the length asked for fits; tokens are non-empty
 *     spans of the folded text, in order, with a valid role and
 *     non-decreasing comma groups; each part fits "folded length plus
 *     ntok" (the documented room) and a token word is at most 15 bytes;
 *   - similarity: in [0, 1], symmetric (name_similarity.h), 0 for a name
 *     without words and (close to) 1 for a name with words against itself;
 *   - nicknames: related() is symmetric; is_name() iff count() > 0;
 *     roots are sorted, distinct, at most CDM_NICKNAME_MAX_ROOTS, and
 *     root() exists iff some root does; root(root(x)) = root(x); a key
 *     with a NUL or past CDM_NICKNAME_MAX_LEN matches nothing.
 */
#include "fuzz.h"

#include "fold.h"
#include "name_parts.h"
#include "name_similarity.h"
#include "nickname.h"

typedef struct Parsed
{
	cdm_char   *buf;
	CdmNameToken *tok;
	size_t		folded;
	CdmName		name;
} Parsed;

/* The skin's cdm_name_from_text, with exact-size buffers. */
static void
parse(const cdm_char *in, size_t n, Parsed *p)
{
	size_t		cap = n / 2;
	size_t		ntok = 0;
	const char *err = NULL;
	ptrdiff_t	m;

	p->buf = fuzz_work(cap * sizeof(cdm_char), false);
	p->tok = malloc(CDM_NAME_MAX_TOKENS(n) * sizeof(CdmNameToken));
	m = cdm_name_parse(in, n, p->buf, cap, p->tok, &ntok, &err);
	FUZZ_CHECK(m >= 0, "cdm_name_parse failed: %s", err ? err : "?");
	FUZZ_CHECK(ntok <= CDM_NAME_MAX_TOKENS(n), "%zu tokens from %zu code points", ntok, n);
	if ((size_t) m > cap)
	{
		ptrdiff_t	m2;

		free(p->buf);
		cap = (size_t) m;
		p->buf = fuzz_work(cap * sizeof(cdm_char), false);
		m2 = cdm_name_parse(in, n, p->buf, cap, p->tok, &ntok, &err);
		FUZZ_CHECK(m2 == m, "cdm_name_parse asked for %td, then gave %td", m, m2);
	}
	p->folded = (size_t) m;
	p->name.buf = p->buf;
	p->name.tok = p->tok;
	p->name.ntok = ntok;
}

static bool
has_words(const CdmName *name)
{
	for (size_t k = 0; k < name->ntok; k++)
		if (name->tok[k].role == CDM_NAME_GIVEN || name->tok[k].role == CDM_NAME_MIDDLE ||
			name->tok[k].role == CDM_NAME_FAMILY)
			return true;
	return false;
}

static void
check_parsed(const Parsed *p)
{
	const CdmName *name = &p->name;
	size_t		room = p->folded + name->ntok;

	for (size_t k = 0; k < name->ntok; k++)
	{
		const CdmNameToken *t = &name->tok[k];
		char	   *w = malloc(16);

		FUZZ_CHECK(t->len > 0 && (size_t) t->off + t->len <= p->folded,
				   "token %zu at %u+%u of %zu", k, t->off, t->len, p->folded);
		FUZZ_CHECK(k == 0 || (t->off >= name->tok[k - 1].off + name->tok[k - 1].len &&
							  t->group >= name->tok[k - 1].group),
				   "token %zu out of order", k);
		FUZZ_CHECK(t->role < CDM_NAME_NROLES, "token %zu role %u", k, t->role);
		cdm_name_token_word(name, k, w);
		FUZZ_CHECK(strlen(w) <= 15, "token word of %zu bytes", strlen(w));
		free(w);
	}
	for (int r = 0; r < CDM_NAME_NROLES; r++)
	{
		cdm_char   *out = fuzz_work(room * sizeof(cdm_char), false);
		size_t		len = cdm_name_part(name, (CdmNameRole) r, out);

		FUZZ_CHECK(len <= room, "part %d: %zu code points, room %zu", r, len, room);
		free(out);
	}
}

/* Folded UTF-8 bytes of a name, as the nickname functions take keys. */
static char *
fold_bytes(const cdm_char *in, size_t n, size_t *len)
{
	size_t		cap = 2 * n + 16;
	cdm_char   *f = malloc(cap * sizeof(cdm_char));
	const char *err;
	ptrdiff_t	k = cdm_fold(in, n, f, cap, &err);
	char	   *bytes;

	FUZZ_CHECK(k >= 0, "cdm_fold failed: %s", err ? err : "?");
	if ((size_t) k > cap)
	{
		cap = (size_t) k;
		f = realloc(f, cap * sizeof(cdm_char));
		k = cdm_fold(in, n, f, cap, &err);
	}
	bytes = fuzz_to_utf8(f, (size_t) k, len);
	free(f);
	return bytes;
}

static void
check_nickname(const char *key, size_t len)
{
	const char *roots[CDM_NICKNAME_MAX_ROOTS];
	size_t		nr = cdm_nickname_roots(key, len, roots);
	const char *root = cdm_nickname_root(key, len);
	size_t		count = cdm_nickname_count(key, len);
	bool		odd = len > CDM_NICKNAME_MAX_LEN || memchr(key, '\0', len) != NULL;

	FUZZ_CHECK(nr <= CDM_NICKNAME_MAX_ROOTS, "%zu roots", nr);
	for (size_t i = 1; i < nr; i++)
		FUZZ_CHECK(strcmp(roots[i - 1], roots[i]) < 0, "roots not sorted: %s, %s",
				   roots[i - 1], roots[i]);
	FUZZ_CHECK((root != NULL) == (nr > 0), "root %s with %zu roots", root ? root : "NULL", nr);
	FUZZ_CHECK(cdm_nickname_is_name(key, len) == (count > 0), "is_name and count (%zu) disagree",
			   count);
	if (root)
	{
		const char *again = cdm_nickname_root(root, strlen(root));

		FUZZ_CHECK(again != NULL && strcmp(again, root) == 0,
				   "root(root) = %s, root = %s", again ? again : "NULL", root);
	}
	if (odd)
		FUZZ_CHECK(nr == 0 && count == 0 && !cdm_nickname_is_nickname(key, len) &&
				   cdm_nickname_preferred_root(key, len) == NULL &&
				   !cdm_nickname_related(key, len, "robert", 6) &&
				   !cdm_nickname_related("john", 4, key, len),
				   "a key with a NUL or of %zu bytes matched", len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in;
	cdm_char   *cp[2];
	size_t		n[2];
	Parsed		p[2];
	char	   *key[2];
	size_t		klen[2];
	double		ab,
				ba,
				aa;

	fuzz_split(data, size, 2, &in);
	for (int k = 0; k < 2; k++)
	{
		if (in.opt & 1)
			cp[k] = fuzz_chars(in.p[k], in.len[k], 0, &n[k]);
		else if ((cp[k] = fuzz_utf8(in.p[k], in.len[k], &n[k])) == NULL)
		{
			if (k == 1)
				free(cp[0]);
			return 0;
		}
	}
	for (int k = 0; k < 2; k++)
	{
		parse(cp[k], n[k], &p[k]);
		check_parsed(&p[k]);
	}

	ab = cdm_name_similarity(&p[0].name, &p[1].name);
	ba = cdm_name_similarity(&p[1].name, &p[0].name);
	aa = cdm_name_similarity(&p[0].name, &p[0].name);
	FUZZ_CHECK(ab >= 0.0 && ab <= 1.0, "name_similarity %.17g", ab);
	FUZZ_CHECK(ab == ba, "name_similarity not symmetric: %.17g / %.17g", ab, ba);
	if (has_words(&p[0].name))
		FUZZ_CHECK(fabs(aa - 1.0) < 1e-12, "a name against itself: %.17g", aa);
	else
		FUZZ_CHECK(aa == 0.0 && ab == 0.0, "a name without words: %.17g, %.17g", aa, ab);

	/* nicknames: folded keys, as the skin passes them, and the raw bytes */
	for (int k = 0; k < 2; k++)
	{
		key[k] = fold_bytes(cp[k], n[k], &klen[k]);
		check_nickname(key[k], klen[k]);
		check_nickname(in.p[k], in.len[k]);
	}
	FUZZ_CHECK(cdm_nickname_related(key[0], klen[0], key[1], klen[1]) ==
			   cdm_nickname_related(key[1], klen[1], key[0], klen[0]),
			   "nickname_related not symmetric");
	FUZZ_CHECK(cdm_nickname_related(in.p[0], in.len[0], in.p[1], in.len[1]) ==
			   cdm_nickname_related(in.p[1], in.len[1], in.p[0], in.len[0]),
			   "nickname_related not symmetric on raw bytes");

	for (int k = 0; k < 2; k++)
	{
		free(key[k]);
		free(p[k].buf);
		free(p[k].tok);
		free(cp[k]);
	}
	return 0;
}
