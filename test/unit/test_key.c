/*
 * test_key.c - blocking keys: normalisation, tokenizers, distance
 * properties, text form round trip, and the GiST signature bound (the
 * property the index's correctness rests on), on thousands of random cases.
 */
#include "unit.h"

#include "key.h"
#include "key_sig.h"

#include <math.h>

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t) (rng_state >> 16);
}

/* A random normalised key: tokens drawn from a small universe so keys overlap. */
static size_t
random_key(cdm_token *tok, size_t universe)
{
	size_t		n = rnd() % 40;
	unsigned	fields = 1 + rnd() % 15;

	for (size_t i = 0; i < n; i++)
	{
		unsigned	f;

		do
			f = rnd() % 4;
		while (!(fields & (1u << f)));
		tok[i] = ((uint32_t) f << CDM_KEY_FIELD_SHIFT) | (rnd() % universe);
	}
	return cdm_key_normalise(tok, n);
}

static size_t
name_tokens(const char *s, cdm_token *out)
{
	static CdmKeyBuilder b;
	size_t		n;
	cdm_char   *cp = utf8_to_cps(s, &n);

	cdm_key_builder_init(&b);
	cdm_key_builder_field(&b, CDM_KEY_NAME);
	cdm_key_add_name(&b, cp, n);
	n = cdm_key_finish(&b);
	memcpy(out, b.tok, n * sizeof(cdm_token));
	free(cp);
	return n;
}

static double
name_dist(const char *a, const char *b)
{
	static cdm_token ta[CDM_KEY_MAX_TOKENS],
				tb[CDM_KEY_MAX_TOKENS];
	size_t		na = name_tokens(a, ta);
	size_t		nb = name_tokens(b, tb);

	return cdm_key_distance(ta, na, tb, nb);
}

static void
test_normalise(void)
{
	cdm_token	t[] = {5, 3, 5, 1, (1u << 29) | 2, 3, 0};
	size_t		n = cdm_key_normalise(t, 7);
	static cdm_token big[3 * CDM_KEY_FIELD_MAX];

	CHECK_INT(n, 5, "duplicates dropped");
	CHECK(t[0] == 0 && t[1] == 1 && t[2] == 3 && t[3] == 5 && t[4] == ((1u << 29) | 2),
		  "sorted");
	CHECK(cdm_key_is_normal(t, n), "normal after normalise");
	t[1] = 7;
	CHECK(!cdm_key_is_normal(t, n), "unsorted detected");

	/* a field keeps its CDM_KEY_FIELD_MAX smallest tokens */
	for (size_t i = 0; i < 3 * CDM_KEY_FIELD_MAX; i++)
		big[i] = (uint32_t) (3 * CDM_KEY_FIELD_MAX - i);
	n = cdm_key_normalise(big, 3 * CDM_KEY_FIELD_MAX);
	CHECK_INT(n, CDM_KEY_FIELD_MAX, "field capped");
	CHECK_INT(big[0], 1, "smallest kept");
	CHECK_INT(big[n - 1], CDM_KEY_FIELD_MAX, "bottom-k");
}

static void
test_tokenizer(void)
{
	cdm_token	a[CDM_KEY_MAX_TOKENS],
				b[CDM_KEY_MAX_TOKENS];
	size_t		na = name_tokens("john smith", a);
	size_t		nb = name_tokens("john smith", b);

	/* john: 5 bigrams, JN AN, root word, initial j; smith: 6 bigrams, SM0 XMT, word, initial s */
	CHECK_INT(na, 19, "john smith token count");
	CHECK(na == nb && memcmp(a, b, na * sizeof(cdm_token)) == 0, "deterministic");
	CHECK(cdm_key_is_normal(a, na), "sorted and distinct");
	for (size_t i = 0; i < na; i++)
		CHECK_INT(CDM_KEY_FIELD(a[i]), CDM_KEY_NAME, "name field");
	{
		/* classes sort codes, words, grams (the index's build order rests on it) */
		size_t		cls[4] = {0};

		for (size_t i = 0; i < na; i++)
		{
			cls[CDM_KEY_CLASS(a[i])]++;
			if (i > 0)
				CHECK(CDM_KEY_CLASS(a[i - 1]) <= CDM_KEY_CLASS(a[i]), "classes in order");
		}
		CHECK_INT(cls[CDM_KEY_CODE], 4, "codes JN AN SM0 XMT");
		CHECK_INT(cls[CDM_KEY_WORD], 4, "roots john, smith, initials j, s");
		CHECK_INT(cls[CDM_KEY_GRAM], 11, "bigrams");
		CHECK_INT(cls[3], 0, "class 3 reserved");
	}
	/* a word the nickname table does not know has no word token */
	na = name_tokens("xepheren", a);
	CHECK_INT(na, 9 + 1 + 1, "xepheren: 9 bigrams, one code, its initial");
	/* a one-letter word: its start bigram and its initial, both in john's key */
	na = name_tokens("j", a);
	CHECK_INT(na, 2, "initial j: 2 tokens");
	nb = name_tokens("john", b);
	{
		size_t		shared = 0;

		for (size_t i = 0; i < na; i++)
			for (size_t k = 0; k < nb; k++)
				shared += a[i] == b[k];
		CHECK_INT(shared, 2, "j's tokens are in john's key");
	}
	/* J Smith: 12 of 19 tokens shared with John Smith (10 of 20 without initial tokens) */
	CHECK(fabs(name_dist("j smith", "john smith") - 7.0 / 19.0) < 1e-12, "initial: %g",
		  name_dist("j smith", "john smith"));
	/* a middle initial adds 2 tokens to 19, not 3 */
	CHECK(fabs(name_dist("john k smith", "john smith") - 2.0 / 21.0) < 1e-12, "middle initial: %g",
		  name_dist("john k smith", "john smith"));
	na = name_tokens("john smith", a);
	CHECK_INT(name_tokens("", a), 0, "empty text, empty key");
	CHECK(fabs(name_dist("john smith", "smith john")) < 1e-15, "word order is free");
	/*
	 * bob: 4 bigrams, initial b, and (not its own code PP) robert's code
	 * RPRT, initial r and root: 4 of 14 tokens shared with robert (ob,
	 * RPRT, r, robert)
	 */
	CHECK(fabs(name_dist("bob", "robert") - 10.0 / 14.0) < 1e-12, "bob, robert: %g",
		  name_dist("bob", "robert"));
	CHECK(name_dist("bob smith", "robert smith") < 0.5, "nickname: %g",
		  name_dist("bob smith", "robert smith"));
	CHECK(name_dist("jonh smith", "john smith") < 0.5, "typo: %g",
		  name_dist("jonh smith", "john smith"));
	CHECK(name_dist("john smith", "mary jones") > 0.9, "unrelated: %g",
		  name_dist("john smith", "mary jones"));
	/* non-ASCII letters that folding left: code points, not bytes */
	na = name_tokens("北京 ж", a);
	CHECK(na > 0 && cdm_key_is_normal(a, na), "non-ASCII words");

	{
		/* a 100 000-character name stays within the per-field cap */
		size_t		len = 100000;
		char	   *s = malloc(len + 1);

		for (size_t i = 0; i < len; i++)
			s[i] = (i % 7 == 6) ? ' ' : (char) ('a' + rnd() % 26);
		s[len] = '\0';
		na = name_tokens(s, a);
		CHECK_INT(na, CDM_KEY_FIELD_MAX, "long name capped");
		CHECK(cdm_key_is_normal(a, na), "long name normal");
		nb = name_tokens(s, b);
		CHECK(na == nb && memcmp(a, b, na * sizeof(cdm_token)) == 0, "long name deterministic");
		free(s);
	}
}

static void
test_other_fields(void)
{
	static CdmKeyBuilder b;
	size_t		n;

	cdm_key_builder_init(&b);
	cdm_key_builder_field(&b, CDM_KEY_PHONE);
	cdm_key_add_phone(&b, "+15551234567", 12);
	n = cdm_key_finish(&b);
	/* whole, last 7, 9 trigrams of 11 digits */
	CHECK_INT(n, 11, "phone tokens");
	CHECK_INT(CDM_KEY_FIELD(b.tok[0]), CDM_KEY_PHONE, "phone field");

	cdm_key_builder_init(&b);
	cdm_key_builder_field(&b, CDM_KEY_EMAIL);
	cdm_key_add_email(&b, "j.doe@x.com", 11);
	n = cdm_key_finish(&b);
	/* whole, domain, local "jdoe", 5 bigrams */
	CHECK_INT(n, 8, "email tokens");

	cdm_key_builder_init(&b);
	cdm_key_builder_field(&b, CDM_KEY_ADDRESS);
	cdm_key_add_address(&b, "123 n main st", 13);
	n = cdm_key_finish(&b);
	/* 4 words + 5 bigrams of main */
	CHECK_INT(n, 9, "address tokens");
}

static void
test_distance_cases(void)
{
	cdm_token	a[] = {1, 2, 3, 4};
	cdm_token	b[] = {3, 4, 5, 6};
	cdm_token	e[] = {(1u << 29) | 1, (1u << 29) | 2};
	cdm_token	ae[] = {1, 2, 3, 4, (1u << 29) | 1, (1u << 29) | 2};
	cdm_token	be[] = {3, 4, 5, 6, (1u << 29) | 1, (1u << 29) | 9};

	CHECK(fabs(cdm_key_distance(a, 4, b, 4) - (1.0 - 2.0 / 6.0)) < 1e-15, "Jaccard 2/6");
	CHECK(cdm_key_distance(a, 4, a, 4) == 0.0, "identical");
	CHECK(cdm_key_distance(a, 4, e, 2) == 1.0, "no common field");
	CHECK(cdm_key_distance(a, 0, a, 0) == 0.0, "two empty keys");
	CHECK(cdm_key_distance(a, 0, a, 4) == 1.0, "one empty key");
	/* name J = 2/6 weight 1, email J = 1/3 weight 2: (1/3 + 2/3) / 3 */
	CHECK(fabs(cdm_key_similarity(ae, 6, be, 6) - (1.0 / 3.0 + 2.0 / 3.0) / 3.0) < 1e-15,
		  "weighted mean: %g", cdm_key_similarity(ae, 6, be, 6));
	/* fields of only one key do not count */
	CHECK(fabs(cdm_key_distance(a, 4, be, 6) - (1.0 - 2.0 / 6.0)) < 1e-15, "absent field ignored");
}

static void
test_text_form(void)
{
	cdm_token	t[CDM_KEY_MAX_TOKENS],
				u[CDM_KEY_MAX_TOKENS];
	char		buf[32768];
	size_t		errpos;
	ptrdiff_t	m;

	for (int iter = 0; iter < 500; iter++)
	{
		size_t		n = random_key(t, CDM_KEY_HASH_MASK);
		size_t		len = cdm_key_format(t, n, buf);

		CHECK(len <= cdm_key_text_size(n), "text size bound");
		m = cdm_key_parse(buf, len, u, CDM_KEY_MAX_TOKENS, &errpos);
		CHECK(m == (ptrdiff_t) n && memcmp(t, u, n * sizeof(cdm_token)) == 0,
			  "text round trip, iteration %d", iter);
	}
	CHECK_INT(cdm_key_parse("", 0, u, 4, &errpos), 0, "empty text");
	m = cdm_key_parse(" phone( 1f ) name(2 1) ", 23, u, 4, &errpos);
	CHECK_INT(m, 3, "free spacing and order");
	CHECK_INT(cdm_key_normalise(u, 3), 3, "three distinct");
	CHECK_INT(u[0], 1, "sorted after normalise");
	CHECK_INT(cdm_key_parse("nam(1)", 6, u, 4, &errpos), -1, "unknown field");
	CHECK_INT(cdm_key_parse("name(20000000)", 14, u, 4, &errpos), -1, "hash too large");
	CHECK_INT(errpos, 5, "error position");
	CHECK_INT(cdm_key_parse("name(1", 6, u, 4, &errpos), -1, "unclosed");
	CHECK_INT(cdm_key_parse("name(1x)", 8, u, 4, &errpos), -1, "not hex");
	CHECK_INT(cdm_key_parse("name(123456789)", 15, u, 4, &errpos), -1, "9 digits");
}

/* Jaccard of two sorted token lists by the definition (quadratic). */
static double
naive_jaccard(const cdm_token *a, size_t na, const cdm_token *b, size_t nb)
{
	size_t		inter = 0;

	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			inter += a[i] == b[j];
	return (double) inter / (double) (na + nb - inter);
}

/* One-field keys (the branch-free fast path) against the definition. */
static void
test_one_field(void)
{
	cdm_token	a[64],
				b[64];
	int			bad = 0,
				cases = 0;

	for (int iter = 0; iter < 20000; iter++)
	{
		size_t		universe = 4 + rnd() % 100;
		uint32_t	field = (uint32_t) (rnd() % 4) << CDM_KEY_FIELD_SHIFT;
		size_t		na = 1 + rnd() % 40;
		size_t		nb = 1 + rnd() % 40;

		for (size_t i = 0; i < na; i++)
			a[i] = field | (rnd() % universe) << (rnd() % 2 ? 0 : 20);
		for (size_t i = 0; i < nb; i++)
			b[i] = field | (rnd() % universe) << (rnd() % 2 ? 0 : 20);
		na = cdm_key_normalise(a, na);
		nb = cdm_key_normalise(b, nb);
		cases++;
		if (fabs(cdm_key_similarity(a, na, b, nb) - naive_jaccard(a, na, b, nb)) > 1e-15)
			bad++;
	}
	CHECK_INT(bad, 0, "one-field similarity = Jaccard by definition (%d cases)", cases);

	/* the scan's leaf distance equals cdm_key_distance bit for bit, any keys */
	bad = 0;
	cases = 0;
	for (int iter = 0; iter < 20000; iter++)
	{
		size_t		universe = 4 + rnd() % 300;
		size_t		na = iter % 3 ? random_key(a, universe) : 1 + rnd() % 30;
		size_t		nb = random_key(b, universe);
		uint32_t	bitpos[64];
		CdmKeyQuery q;

		if (iter % 3 == 0)
		{
			/* one field, tokens spread over the whole hash range */
			for (size_t i = 0; i < na; i++)
				a[i] = rnd() % 2 ? b[rnd() % (nb + 1) % 64] : (rnd() & CDM_KEY_HASH_MASK);
			na = cdm_key_normalise(a, na);
		}
		cdm_sig_query_prepare(&q, a, na, 1 + (int) (rnd() % 64), bitpos);
		cases++;
		if (cdm_sig_key_distance(&q, b, nb) != cdm_key_distance(a, na, b, nb))
			bad++;
	}
	CHECK_INT(bad, 0, "leaf distance = cdm_key_distance (%d cases)", cases);
}

/* Random keys: distance properties, and the bound under random signatures. */
static void
test_properties(void)
{
	cdm_token	a[64],
				b[64],
				q[64];
	int			siglens[] = {1, 4, 16, 64, 256};
	int			bad_sym = 0,
				bad_range = 0,
				bad_self = 0,
				bad_bound = 0,
				tight = 0,
				cases = 0;

	for (int iter = 0; iter < 20000; iter++)
	{
		size_t		universe = 8 + rnd() % 200;
		size_t		na = random_key(a, universe);
		size_t		nb = random_key(b, universe);
		double		d = cdm_key_distance(a, na, b, nb);

		if (d != cdm_key_distance(b, nb, a, na))
			bad_sym++;
		if (!(d >= 0.0 && d <= 1.0))
			bad_range++;
		if (cdm_key_distance(a, na, a, na) != 0.0)
			bad_self++;
	}
	CHECK_INT(bad_sym, 0, "symmetric");
	CHECK_INT(bad_range, 0, "in [0, 1]");
	CHECK_INT(bad_self, 0, "zero for identical keys");

	for (int iter = 0; iter < 4000; iter++)
	{
		int			siglen = siglens[rnd() % 5];
		size_t		universe = 8 + rnd() % 400;
		CdmKeySig  *s = malloc(CDM_SIG_SIZE(siglen));
		CdmKeySig  *s2 = malloc(CDM_SIG_SIZE(siglen));
		cdm_token	keys[12][64];
		size_t		nk[12];
		int			nkeys = 1 + rnd() % 12;
		uint32_t	bitpos[64];
		CdmKeyQuery cq;
		size_t		nq = random_key(q, universe);

		/* two signatures merged, as union does at inner levels */
		cdm_sig_clear(s, siglen);
		cdm_sig_clear(s2, siglen);
		for (int k = 0; k < nkeys; k++)
		{
			nk[k] = random_key(keys[k], universe);
			if (rnd() % 10 == 0)
				nk[k] = 0;
			cdm_sig_add_key(k % 2 ? s2 : s, siglen, keys[k], nk[k]);
		}
		cdm_sig_add_sig(s, s2, siglen);
		cdm_sig_query_prepare(&cq, q, nq, siglen, bitpos);
		{
			double		lb = cdm_sig_lower_bound(s, &cq);
			double		best = 2.0;

			for (int k = 0; k < nkeys; k++)
			{
				double		d = cdm_key_distance(q, nq, keys[k], nk[k]);

				if (d < best)
					best = d;
			}
			cases++;
			if (lb > best)
			{
				bad_bound++;
				fprintf(stderr, "bound %.17g > distance %.17g (siglen %d)\n", lb, best, siglen);
			}
			if (best - lb < 0.05)
				tight++;
		}
		free(s);
		free(s2);
	}
	CHECK_INT(bad_bound, 0, "lower bound never above the true distance (%d cases)", cases);
	/* the bound is not vacuous: it is often close */
	CHECK(tight > cases / 10, "bound close to the best distance in %d of %d cases", tight, cases);
}

static void
test_signature_basics(void)
{
	int			siglen = 8;
	CdmKeySig  *s = malloc(CDM_SIG_SIZE(siglen));
	CdmKeySig  *e = malloc(CDM_SIG_SIZE(siglen));
	cdm_token	k[] = {1, 2, 70};
	uint32_t	bitpos[3];
	CdmKeyQuery cq;

	cdm_sig_clear(s, siglen);
	cdm_sig_clear(e, siglen);
	cdm_sig_add_key(s, siglen, k, 3);
	CHECK_INT(cdm_sig_popcount(s, siglen), 3, "three bits");
	/* hamming: 3 bits plus the name field only one side has */
	CHECK_INT(cdm_sig_hamming(s, e, siglen), 4, "hamming");
	cdm_sig_query_prepare(&cq, k, 3, siglen, bitpos);
	CHECK(cdm_sig_lower_bound(s, &cq) == 0.0, "the key itself is below: bound 0");
	CHECK(cdm_sig_lower_bound(e, &cq) == 1.0, "nothing below: bound 1");
	cdm_sig_query_prepare(&cq, k, 0, siglen, bitpos);
	CHECK(cdm_sig_lower_bound(s, &cq) == 1.0, "empty query, no empty key below");
	cdm_sig_add_key(e, siglen, k, 0);
	CHECK(cdm_sig_lower_bound(e, &cq) == 0.0, "empty query, empty key below");
	free(s);
	free(e);
}

int
main(void)
{
	test_normalise();
	test_tokenizer();
	test_other_fields();
	test_distance_cases();
	test_text_form();
	test_signature_basics();
	test_properties();
	test_one_field();
	return unit_report("key");
}
