/*
 * fuzz_key.c - block/: blocking keys.  The builders fed as the SQL skin
 * feeds them (fold, email_norm, phone_e164, address_norm, then the
 * tokenizers), the text form (cdm_key_parse / cdm_key_format, the I/O of
 * cdm.key), normalisation (the binary input path), similarity, and the
 * GiST signatures (key_sig.h).
 *
 * Input: option byte (siglen choice, phone region), then four parts:
 * a value, a second value, a key in text form, and bytes seeding raw
 * tokens (four bytes make eight tokens).
 *
 * Invariants:
 *   - parse: a count of at most len / 2 + 1 (what cdm_key_in allocates),
 *     no write past a smaller cap, the same count whatever the cap;
 *     format(normalise(parse(s))) parses back to the same tokens, and
 *     fits cdm_key_text_size;
 *   - normalise: the result is normal (sorted, distinct, <= 250 a field),
 *     equals a naive sort/unique/cut, and is idempotent; a builder fed
 *     thousands of tokens (compacting as it fills) ends with the same;
 *   - every built key is normal and holds only its field's tokens;
 *   - similarity in [0, 1], symmetric, 1 against itself;
 *   - signatures: the lower bound never exceeds the true distance of a key
 *     below; cdm_sig_key_distance equals cdm_key_distance bit for bit; a
 *     union of two signatures equals adding both keys to one.
 */
#include "fuzz.h"

#include "address.h"
#include "email.h"
#include "fold.h"
#include "key.h"
#include "key_sig.h"
#include "phone.h"

static int
tok_cmp(const void *a, const void *b)
{
	cdm_token	x = *(const cdm_token *) a;
	cdm_token	y = *(const cdm_token *) b;

	return (x > y) - (x < y);
}

/* The reference normalisation: sort, unique, keep the smallest 250 a field. */
static size_t
naive_normalise(cdm_token *t, size_t n)
{
	size_t		k = 0;
	size_t		infield = 0;

	qsort(t, n, sizeof(cdm_token), tok_cmp);
	for (size_t i = 0; i < n; i++)
	{
		if (k > 0 && t[k - 1] == t[i])
			continue;
		if (k == 0 || CDM_KEY_FIELD(t[k - 1]) != CDM_KEY_FIELD(t[i]))
			infield = 0;
		if (infield == CDM_KEY_FIELD_MAX)
			continue;
		/* a dropped token's field may still be the last kept one's */
		t[k++] = t[i];
		infield++;
	}
	return k;
}

static bool
same(const cdm_token *a, size_t na, const cdm_token *b, size_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na * sizeof(cdm_token)) == 0);
}

static cdm_char *
fold(const char *s, size_t len, size_t *n)
{
	size_t		m;
	cdm_char   *cp = fuzz_chars(s, len, 0, &m);
	size_t		cap = 2 * m + 16;
	cdm_char   *f = malloc(cap * sizeof(cdm_char));
	const char *err;
	ptrdiff_t	k = cdm_fold(cp, m, f, cap, &err);

	FUZZ_CHECK(k >= 0, "cdm_fold failed: %s", err ? err : "?");
	if ((size_t) k > cap)
	{
		f = realloc(f, (size_t) k * sizeof(cdm_char));
		k = cdm_fold(cp, m, f, (size_t) k, &err);
	}
	free(cp);
	*n = (size_t) k;
	return f;
}

/* The key builders of src/pg/block/key_build.c, one field each. */
static size_t
build(CdmKeyBuilder *b, int field, const char *s, size_t len, const char *region)
{
	size_t		n;
	cdm_char   *f = fold(s, len, &n);

	cdm_key_builder_init(b);
	cdm_key_builder_field(b, (unsigned) field);
	switch (field)
	{
		case CDM_KEY_NAME:
			cdm_key_add_name(b, f, n);
			break;
		case CDM_KEY_EMAIL:
			{
				char	   *norm = malloc(CDM_EMAIL_MAX);
				const char *err;
				ptrdiff_t	k = cdm_email_norm(s, len, norm, CDM_EMAIL_MAX, &err);

				FUZZ_CHECK(k != CDM_EMAIL_ICU_ERROR, "ICU failed");
				if (k >= 0)
					cdm_key_add_email(b, norm, (size_t) k);
				else
					cdm_key_add_words(b, f, n);
				free(norm);
			}
			break;
		case CDM_KEY_PHONE:
			{
				char	   *e164 = malloc(CDM_PHONE_E164_SIZE);
				CdmPhoneStatus st = CDM_PHONE_NOT_A_NUMBER;

				if (len <= 4 * CDM_PHONE_MAX_INPUT)
					st = cdm_phone_e164(s, len, region, 2, e164);
				if (st == CDM_PHONE_OK)
					cdm_key_add_phone(b, e164, strlen(e164));
				else
				{
					size_t		bl;
					char	   *bytes = fuzz_to_utf8(f, n, &bl);

					cdm_key_add_phone(b, bytes, bl);
					free(bytes);
				}
				free(e164);
			}
			break;
		default:
			{
				size_t		bl;
				char	   *bytes = fuzz_to_utf8(f, n, &bl);
				size_t		cap = CDM_ADDRESS_OUT_SIZE(bl);
				char	   *norm = fuzz_work(cap, false);
				void	   *ws = fuzz_work(cdm_address_workspace(bl), false);
				size_t		m = cdm_address_norm_folded(bytes, bl, norm, cap, ws);

				FUZZ_CHECK(m <= cap, "address of %zu bytes over its bound %zu", m, cap);
				cdm_key_add_address(b, norm, m);
				free(ws);
				free(norm);
				free(bytes);
			}
			break;
	}
	free(f);
	n = cdm_key_finish(b);
	FUZZ_CHECK(cdm_key_is_normal(b->tok, n), "built key (field %d) not normal", field);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(CDM_KEY_FIELD(b->tok[i]) == (unsigned) field && CDM_KEY_CLASS(b->tok[i]) != 3,
				   "token %08x in a key of field %d", b->tok[i], field);
	return n;
}

static void
check_similarity(const cdm_token *a, size_t na, const cdm_token *b, size_t nb)
{
	double		s = cdm_key_similarity(a, na, b, nb);

	FUZZ_CHECK(s >= 0.0 && s <= 1.0, "key similarity %.17g", s);
	FUZZ_CHECK(s == cdm_key_similarity(b, nb, a, na), "key similarity not symmetric");
	FUZZ_CHECK(cdm_key_similarity(a, na, a, na) == 1.0, "a key against itself: %.17g",
			   cdm_key_similarity(a, na, a, na));
	FUZZ_CHECK(cdm_key_distance(a, na, b, nb) == 1.0 - s, "distance is not 1 - similarity");
}

/* Text form: parse as cdm_key_in does, normalise, format, parse back. */
static void
check_text(const char *s, size_t len)
{
	size_t		cap = len / 2 + 1;
	cdm_token  *tok = malloc(cap * sizeof(cdm_token));
	cdm_token  *one = malloc(sizeof(cdm_token));
	size_t		errpos = 0;
	ptrdiff_t	n = cdm_key_parse(s, len, tok, cap, &errpos);
	ptrdiff_t	n1 = cdm_key_parse(s, len, one, 1, &errpos);
	size_t		k;
	char	   *text;
	size_t		tl;
	cdm_token  *back;
	ptrdiff_t	nb;

	FUZZ_CHECK(n == n1, "parse counts %td with room, %td with one slot", n, n1);
	if (n < 0)
	{
		/* len itself: the text ended too early */
		FUZZ_CHECK(errpos <= len, "error at byte %zu of %zu", errpos, len);
		goto done;
	}
	FUZZ_CHECK((size_t) n <= cap, "%td tokens from %zu bytes (cdm_key_in allocates %zu)",
			   n, len, cap);
	k = cdm_key_normalise(tok, (size_t) n);
	FUZZ_CHECK(cdm_key_is_normal(tok, k), "normalised key not normal");
	text = malloc(cdm_key_text_size(k));
	tl = cdm_key_format(tok, k, text);
	FUZZ_CHECK(tl <= cdm_key_text_size(k), "formatted %zu bytes, size %zu", tl, cdm_key_text_size(k));
	back = malloc((tl / 2 + 1) * sizeof(cdm_token));
	nb = cdm_key_parse(text, tl, back, tl / 2 + 1, &errpos);
	FUZZ_CHECK(nb >= 0 && same(tok, k, back, (size_t) nb),
			   "\"%.*s\" does not parse back (%td tokens, %zu before)", (int) tl, text, nb, k);
	free(back);
	free(text);
done:
	free(one);
	free(tok);
}

/* Raw tokens: eight per four input bytes (xorshift from them). */
static cdm_token *
raw_tokens(const char *p, size_t len, size_t *n)
{
	size_t		groups = len / 4;
	cdm_token  *t = malloc((8 * groups + 1) * sizeof(cdm_token));
	size_t		k = 0;

	for (size_t g = 0; g < groups; g++)
	{
		uint32_t	x;

		memcpy(&x, p + 4 * g, 4);
		for (int j = 0; j < 8; j++)
		{
			t[k++] = x;
			/* few fields and a small hash range: many repeats, full fields */
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			if ((x & 3) == 0)
				x &= 0xE00001FFu;
		}
	}
	*n = k;
	return t;
}

static void
check_normalise(const cdm_token *raw, size_t n)
{
	cdm_token  *a = malloc((n + 1) * sizeof(cdm_token));
	cdm_token  *b = malloc((n + 1) * sizeof(cdm_token));
	CdmKeyBuilder *kb = malloc(sizeof(CdmKeyBuilder));
	size_t		na,
				nb,
				nk;

	memcpy(a, raw, n * sizeof(cdm_token));
	memcpy(b, raw, n * sizeof(cdm_token));
	na = cdm_key_normalise(a, n);
	nb = naive_normalise(b, n);
	FUZZ_CHECK(same(a, na, b, nb), "normalise: %zu tokens, naive %zu", na, nb);
	FUZZ_CHECK(cdm_key_is_normal(a, na), "normalised key not normal");
	FUZZ_CHECK(cdm_key_normalise(a, na) == na, "normalise not idempotent");

	/* the builder, adding token by token (field and class as the token says) */
	cdm_key_builder_init(kb);
	for (size_t i = 0; i < n; i++)
	{
		cdm_key_builder_field(kb, CDM_KEY_FIELD(raw[i]));
		cdm_key_add(kb, CDM_KEY_CLASS(raw[i]), raw[i] & CDM_KEY_CLASS_HASH_MASK);
	}
	nk = cdm_key_finish(kb);
	FUZZ_CHECK(same(kb->tok, nk, a, na), "builder of %zu tokens: %zu, normalise %zu", n, nk, na);
	free(kb);
	free(b);
	free(a);
}

static void
check_signatures(const cdm_token *a, size_t na, const cdm_token *b, size_t nb,
				 const cdm_token *q, size_t nq, int siglen)
{
	CdmKeySig  *s = malloc(CDM_SIG_SIZE(siglen));
	CdmKeySig  *sa = malloc(CDM_SIG_SIZE(siglen));
	CdmKeySig  *sb = malloc(CDM_SIG_SIZE(siglen));
	CdmKeyQuery *query = malloc(sizeof(CdmKeyQuery));
	uint32_t   *bitpos = malloc((nq + 1) * sizeof(uint32_t));
	double		lb,
				lba,
				da,
				db;

	cdm_sig_clear(s, siglen);
	cdm_sig_clear(sa, siglen);
	cdm_sig_clear(sb, siglen);
	cdm_sig_add_key(s, siglen, a, na);
	cdm_sig_add_key(s, siglen, b, nb);
	cdm_sig_add_key(sa, siglen, a, na);
	cdm_sig_add_key(sb, siglen, b, nb);
	cdm_sig_add_sig(sa, sb, siglen);
	FUZZ_CHECK(memcmp(s, sa, CDM_SIG_SIZE(siglen)) == 0, "union of signatures differs (siglen %d)",
			   siglen);
	FUZZ_CHECK(cdm_sig_hamming(s, sa, siglen) == 0, "hamming of equal signatures");
	FUZZ_CHECK(cdm_sig_popcount(sb, siglen) <= cdm_sig_popcount(s, siglen), "popcount");

	cdm_sig_query_prepare(query, q, nq, siglen, bitpos);
	da = cdm_key_distance(q, nq, a, na);
	db = cdm_key_distance(q, nq, b, nb);
	FUZZ_CHECK(cdm_sig_key_distance(query, a, na) == da && cdm_sig_key_distance(query, b, nb) == db,
			   "sig_key_distance %.17g / %.17g, key_distance %.17g / %.17g",
			   cdm_sig_key_distance(query, a, na), cdm_sig_key_distance(query, b, nb), da, db);
	lb = cdm_sig_lower_bound(s, query);
	FUZZ_CHECK(lb <= da && lb <= db, "lower bound %.17g above a distance (%.17g, %.17g), siglen %d",
			   lb, da, db, siglen);
	cdm_sig_clear(sa, siglen);
	cdm_sig_add_key(sa, siglen, a, na);
	lba = cdm_sig_lower_bound(sa, query);
	FUZZ_CHECK(lba <= da && lba >= lb, "lower bound of one key %.17g (distance %.17g, union %.17g)",
			   lba, da, lb);
	free(bitpos);
	free(query);
	free(sb);
	free(sa);
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int siglens[] = {1, 2, 3, 8, 16, 64, 256, 2024};
	static const char *const regions[] = {"US", "GB", "DE", "ZZ"};
	FuzzInput	in;
	CdmKeyBuilder *b1 = malloc(sizeof(CdmKeyBuilder));
	CdmKeyBuilder *b2 = malloc(sizeof(CdmKeyBuilder));
	cdm_token  *raw;
	size_t		nraw,
				nrawk;
	int			field;
	int			siglen;
	size_t		n1,
				n2;

	fuzz_split(data, size, 4, &in);
	field = in.opt & 3;
	siglen = siglens[(in.opt >> 2) & 7];
	check_text(in.p[2], in.len[2]);

	n1 = build(b1, field, in.p[0], in.len[0], regions[in.opt >> 6]);
	n2 = build(b2, field, in.p[1], in.len[1], regions[in.opt >> 6]);
	check_similarity(b1->tok, n1, b2->tok, n2);

	raw = raw_tokens(in.p[3], in.len[3], &nraw);
	check_normalise(raw, nraw);
	nrawk = cdm_key_normalise(raw, nraw);
	check_similarity(b1->tok, n1, raw, nrawk);
	check_signatures(b1->tok, n1, raw, nrawk, b2->tok, n2, siglen);
	check_signatures(raw, nrawk, b2->tok, n2, b1->tok, n1, siglen);

	free(raw);
	free(b2);
	free(b1);
	return 0;
}
