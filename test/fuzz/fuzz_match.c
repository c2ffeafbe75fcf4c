/*
 * fuzz_match.c - score/: two customer records prepared as the SQL skin
 * prepares them (src/pg/score/match_source.c: fold, email_norm,
 * phone_e164, address_norm) and compared role by role
 * (cdm_match_compare, cdm_match_tf, cdm_match_weight,
 * cdm_match_cannot_link).
 *
 * Input: option byte (bit 0: take the names from a full name through
 * cdm_name_parse, as a source with only full_name does), then eleven parts
 * per record (given, family, dob, email, phone, address, city, postcode,
 * country, organisation name: folded, then cdm_org_name_norm_folded;
 * web domain: folded).  A dob part is its digits (yyyymmdd) or, starting with 'x',
 * four raw bytes (any int32).
 *
 * Invariants:
 *   - compare is symmetric (match_record.h), and so are the role levels,
 *     cannot_link, the kind conflict, the two-sites rule and the TF values;
 *   - every level is below its role's level count; a role missing on
 *     either side is level 0, a role present on both sides is not (e-mail
 *     aside: levels 2 and 3 count as missing when the names agree);
 *   - a record against itself: every present role at level 1 (names at 1
 *     with raw values, else 2), never cannot-link;
 *   - the weight under cdm_match_model_init is finite.
 */
#include "fuzz.h"

#include "address.h"
#include "email.h"
#include "fold.h"
#include "match_record.h"
#include "name_parts.h"
#include "org_name.h"
#include "phone.h"

#define NPARTS 11

/* Everything a record points to, freed together. */
typedef struct Owned
{
	void	   *p[16];
	int			n;
} Owned;

static void *
own(Owned *o, void *p)
{
	o->p[o->n++] = p;
	return p;
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

static void
text_role(Owned *o, CdmMatchText *t, const char *s, size_t len)
{
	size_t		n;

	t->s = own(o, fold(s, len, &n));
	t->len = (uint32_t) n;
}

static int32_t
dob_of(const char *s, size_t len)
{
	int32_t		d = 0;

	if (len >= 5 && s[0] == 'x')
	{
		memcpy(&d, s + 1, 4);
		return d;
	}
	for (size_t i = 0; i < len && i < 8; i++)
		if (s[i] >= '0' && s[i] <= '9')
			d = d * 10 + (s[i] - '0');
	return d;
}

static void
prepare(Owned *o, CdmMatchRecord *r, const FuzzInput *in, int base, bool full_name)
{
	const char *const *p = in->p + base;
	const size_t *len = in->len + base;
	size_t		n;
	cdm_char   *f;

	memset(r, 0, sizeof(*r));
	if (!full_name)
	{
		f = own(o, fold(p[0], len[0], &n));
		cdm_match_name_prepare(&r->given, f, n, p[0], len[0]);
		f = own(o, fold(p[1], len[1], &n));
		cdm_match_name_prepare(&r->family, f, n, p[1], len[1]);
	}
	else
	{
		size_t		m,
					cap,
					ntok,
					room = 1;
		cdm_char   *cp = own(o, fuzz_chars(p[0], len[0], 0, &m));
		CdmNameToken *tok = own(o, malloc(CDM_NAME_MAX_TOKENS(m) * sizeof(CdmNameToken)));
		cdm_char   *buf;
		const char *err;
		ptrdiff_t	k;
		CdmName		name;
		cdm_char   *given,
				   *family;

		cap = 2 * m + 16;
		buf = malloc(cap * sizeof(cdm_char));
		k = cdm_name_parse(cp, m, buf, cap, tok, &ntok, &err);
		if (k > (ptrdiff_t) cap)
		{
			buf = realloc(buf, (size_t) k * sizeof(cdm_char));
			k = cdm_name_parse(cp, m, buf, (size_t) k, tok, &ntok, &err);
		}
		FUZZ_CHECK(k >= 0, "cdm_name_parse failed");
		own(o, buf);
		name.buf = buf;
		name.tok = tok;
		name.ntok = ntok;
		for (size_t t = 0; t < ntok; t++)
			room += tok[t].len + 1;
		given = own(o, malloc(room * sizeof(cdm_char)));
		family = own(o, malloc(room * sizeof(cdm_char)));
		cdm_match_name_prepare(&r->given, given, cdm_name_part(&name, CDM_NAME_GIVEN, given), NULL, 0);
		cdm_match_name_prepare(&r->family, family, cdm_name_part(&name, CDM_NAME_FAMILY, family), NULL, 0);
	}
	r->given.tf = (len[1] % 7) / 7.0;
	r->family.tf = (len[0] % 5) / 5.0;
	r->dob = dob_of(p[2], len[2]);

	/* e-mail: the normalised address, else the folded text */
	{
		char	   *buf = own(o, malloc(CDM_EMAIL_MAX));
		const char *err;
		ptrdiff_t	m = cdm_email_norm(p[3], len[3], buf, CDM_EMAIL_MAX, &err);

		FUZZ_CHECK(m != CDM_EMAIL_ICU_ERROR, "ICU failed");
		if (m > 0)
			cdm_match_email_prepare(&r->email, buf, (size_t) m);
		else
		{
			cdm_char   *ef = own(o, fold(p[3], len[3], &n));
			size_t		bl;
			char	   *bytes = own(o, fuzz_to_utf8(ef, n, &bl));

			if (bl > 0)
				cdm_match_email_prepare(&r->email, bytes, bl);
		}
	}

	/* phone: E.164 digits, else the digits as written (at most 23) */
	{
		char	   *out = malloc(CDM_PHONE_E164_SIZE);
		char	   *digits = own(o, malloc(CDM_PHONE_E164_SIZE));
		size_t		nd = 0;
		CdmPhoneStatus st = CDM_PHONE_NOT_A_NUMBER;

		if (len[4] <= CDM_PHONE_MAX_INPUT)
			st = cdm_phone_e164(p[4], len[4], "US", 2, out);
		if (st == CDM_PHONE_OK)
		{
			for (const char *c = out; *c && nd < CDM_PHONE_E164_SIZE; c++)
				if (*c >= '0' && *c <= '9')
					digits[nd++] = *c;
		}
		else
			for (size_t i = 0; i < len[4]; i++)
			{
				if (p[4][i] < '0' || p[4][i] > '9')
					continue;
				if (nd == CDM_PHONE_E164_SIZE)
				{
					memmove(digits, digits + 1, nd - 1);
					nd--;
				}
				digits[nd++] = p[4][i];
			}
		r->phone.digits = digits;
		r->phone.len = (uint32_t) nd;
		free(out);
	}

	/* address: folded, then normalised */
	{
		cdm_char   *af = fold(p[5], len[5], &n);
		size_t		bl;
		char	   *bytes = fuzz_to_utf8(af, n, &bl);
		size_t		cap = CDM_ADDRESS_OUT_SIZE(bl);
		char	   *norm = malloc(cap);
		void	   *ws = fuzz_work(cdm_address_workspace(bl), false);
		size_t		m = cdm_address_norm_folded(bytes, bl, norm, cap, ws);
		cdm_char   *cp;

		FUZZ_CHECK(m <= cap, "address over its bound");
		cp = own(o, malloc((m + 1) * sizeof(cdm_char)));
		n = (size_t) cdm_utf8_decode(norm, m, cp);
		r->address.s = cp;
		r->address.len = (uint32_t) n;
		free(ws);
		free(norm);
		free(bytes);
		free(af);
	}
	text_role(o, &r->city, p[6], len[6]);
	text_role(o, &r->postcode, p[7], len[7]);
	text_role(o, &r->country, p[8], len[8]);
	/* organisation name: folded, legal forms out */
	{
		cdm_char   *of = fold(p[9], len[9], &n);
		size_t		bl;
		char	   *bytes = fuzz_to_utf8(of, n, &bl);
		char	   *norm = malloc(bl + 1);
		size_t		m = cdm_org_name_norm_folded(bytes, bl, norm);
		cdm_char   *cp;

		FUZZ_CHECK(m <= bl && norm[m] == '\0', "org_name_norm over its bound or not terminated");
		FUZZ_CHECK(cdm_org_name_norm_folded(norm, m, bytes) <= m, "org_name_norm grew on its output");
		cp = own(o, malloc((m + 1) * sizeof(cdm_char)));
		n = (size_t) cdm_utf8_decode(norm, m, cp);
		r->org.s = cp;
		r->org.len = (uint32_t) n;
		free(norm);
		free(bytes);
		free(of);
	}
	text_role(o, &r->domain, p[10], len[10]);
}

static bool
present(const CdmMatchRecord *r, int role)
{
	switch (role)
	{
		case CDM_ROLE_GIVEN_NAME:
			return r->given.len > 0;
		case CDM_ROLE_FAMILY_NAME:
			return r->family.len > 0;
		case CDM_ROLE_DOB:
			return r->dob >= 1 && r->dob <= 99991231;
		case CDM_ROLE_EMAIL:
			return r->email.len > 0;
		case CDM_ROLE_PHONE:
			return r->phone.len > 0;
		case CDM_ROLE_ADDRESS:
			return r->address.len > 0;
		case CDM_ROLE_CITY:
			return r->city.len > 0;
		case CDM_ROLE_POSTCODE:
			return r->postcode.len > 0;
		case CDM_ROLE_COUNTRY:
			return r->country.len > 0;
		case CDM_ROLE_ORGANISATION_NAME:
			return r->org.len > 0;
		default:
			return r->domain.len > 0;
	}
}

static void
check_pattern(const CdmMatchRecord *a, const CdmMatchRecord *b, uint64_t pat)
{
	for (int r = 0; r < CDM_MATCH_NROLES; r++)
	{
		int			l = cdm_match_level(pat, r);
		bool		both = present(a, r) && present(b, r);

		FUZZ_CHECK(l < cdm_match_nlevels[r], "role %s level %d", cdm_match_role_names[r], l);
		if (!both)
			FUZZ_CHECK(l == 0, "role %s missing on a side, level %d", cdm_match_role_names[r], l);
		else if (r != CDM_ROLE_EMAIL)
			FUZZ_CHECK(l > 0, "role %s present on both sides, level 0", cdm_match_role_names[r]);
	}
	FUZZ_CHECK((pat >> (4 * CDM_MATCH_NROLES)) == 0, "pattern bits past the roles");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in;
	Owned		oa = {{0}, 0},
				ob = {{0}, 0};
	CdmMatchRecord a,
				b;
	CdmFsModel *model = malloc(sizeof(CdmFsModel));
	uint64_t	ab,
				ba,
				aa,
				pw;
	double		tab[CDM_MATCH_NROLES],
				tba[CDM_MATCH_NROLES],
				w;

	fuzz_split(data, size, 2 * NPARTS, &in);
	prepare(&oa, &a, &in, 0, in.opt & 1);
	prepare(&ob, &b, &in, NPARTS, in.opt & 1);

	ab = cdm_match_compare(&a, &b);
	ba = cdm_match_compare(&b, &a);
	FUZZ_CHECK(ab == ba, "compare not symmetric: %09llx / %09llx",
			   (unsigned long long) ab, (unsigned long long) ba);
	check_pattern(&a, &b, ab);
	FUZZ_CHECK(cdm_match_name_level(&a.given, &b.given) == cdm_match_name_level(&b.given, &a.given),
			   "name level not symmetric");
	FUZZ_CHECK(cdm_match_dob_level(a.dob, b.dob) == cdm_match_dob_level(b.dob, a.dob),
			   "dob level not symmetric (%d, %d)", a.dob, b.dob);
	FUZZ_CHECK(cdm_match_email_level(&a.email, &b.email) == cdm_match_email_level(&b.email, &a.email),
			   "email level not symmetric");
	FUZZ_CHECK(cdm_match_phone_level(&a.phone, &b.phone) == cdm_match_phone_level(&b.phone, &a.phone),
			   "phone level not symmetric");
	FUZZ_CHECK(cdm_match_address_level(&a.address, &b.address) ==
			   cdm_match_address_level(&b.address, &a.address), "address level not symmetric");
	FUZZ_CHECK(cdm_match_city_level(&a.city, &b.city) == cdm_match_city_level(&b.city, &a.city),
			   "city level not symmetric");
	FUZZ_CHECK(cdm_match_org_level(&a.org, &b.org) == cdm_match_org_level(&b.org, &a.org),
			   "organisation level not symmetric");
	FUZZ_CHECK(cdm_match_kind_conflict(&a, &b) == cdm_match_kind_conflict(&b, &a),
			   "kind conflict not symmetric");
	FUZZ_CHECK(cdm_match_sites_apart(&a, &b, ab) == cdm_match_sites_apart(&b, &a, ba),
			   "sites rule not symmetric");
	FUZZ_CHECK(cdm_match_cannot_link(&a, &b) == cdm_match_cannot_link(&b, &a),
			   "cannot_link not symmetric");
	FUZZ_CHECK(!cdm_match_cannot_link(&a, &a), "a record cannot link to itself");

	cdm_match_tf(&a, &b, ab, tab);
	cdm_match_tf(&b, &a, ba, tba);
	for (int r = 0; r < CDM_MATCH_NROLES; r++)
		FUZZ_CHECK(tab[r] == tba[r] && tab[r] >= 0.0 && tab[r] <= 1.0, "tf[%d] %.17g / %.17g",
				   r, tab[r], tba[r]);

	aa = cdm_match_compare(&a, &a);
	for (int r = 0; r < CDM_MATCH_NROLES; r++)
	{
		int			l = cdm_match_level(aa, r);
		int			want = present(&a, r) ? 1 : 0;

		if (want && (r == CDM_ROLE_GIVEN_NAME || r == CDM_ROLE_FAMILY_NAME) &&
			(r == CDM_ROLE_GIVEN_NAME ? a.given.rawlen : a.family.rawlen) == 0)
			want = 2;
		FUZZ_CHECK(l == want, "a record against itself: role %s at level %d, not %d",
				   cdm_match_role_names[r], l, want);
	}

	cdm_match_model_init(model);
	FUZZ_CHECK(cdm_fs_model_prepare(model), "cdm_match_model_init: invalid model");
	w = cdm_match_weight(model, &a, &b, &pw);
	FUZZ_CHECK(pw == ab && isfinite(w), "weight %.17g, pattern %09llx", w, (unsigned long long) pw);

	free(model);
	for (int i = 0; i < oa.n; i++)
		free(oa.p[i]);
	for (int i = 0; i < ob.n; i++)
		free(ob.p[i]);
	return 0;
}
