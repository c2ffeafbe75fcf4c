/*
 * test_match.c - record comparison (match_record.h): the level of every
 * role on real pairs, the swapped-fields rule, symmetry, the nickname-root
 * hash, the TF helper and the cannot-link test; then a micro-benchmark
 * (printed, not asserted) of cdm_match_compare and cdm_fs_weight on
 * 100k synthetic candidate pairs.
 */
#include "unit.h"

#include "fs_model.h"
#include "match_record.h"
#include "nickname.h"

#include <math.h>
#include <time.h>

/* Everything the records point to, freed at the end. */
static void *arena[100000];
static size_t narena;

static void *
keep(void *p)
{
	if (narena < sizeof(arena) / sizeof(arena[0]))
		arena[narena++] = p;
	return p;
}

static void
arena_free(void)
{
	while (narena > 0)
		free(arena[--narena]);
}

/* cdm_fold of s into a CdmMatchText ("" or NULL: missing). */
static CdmMatchText
text(const char *s)
{
	CdmMatchText t = {NULL, 0};
	size_t		len,
				k;
	char	   *f;

	if (!s || !*s)
		return t;
	f = unit_fold_utf8(s, &len);
	t.s = keep(utf8_to_cps(f, &k));
	t.len = (uint32_t) k;
	free(f);
	return t;
}

static CdmMatchName
name(const char *s)
{
	CdmMatchName n;
	CdmMatchText t = text(s);

	cdm_match_name_prepare(&n, t.s, t.len, s, s ? strlen(s) : 0);
	return n;
}

static CdmMatchRecord
record(const char *given, const char *family, int32_t dob, const char *email,
	   const char *phone, const char *address, const char *city,
	   const char *postcode, const char *country)
{
	CdmMatchRecord r;

	memset(&r, 0, sizeof(r));
	r.given = name(given);
	r.family = name(family);
	r.dob = dob;
	cdm_match_email_prepare(&r.email, email ? email : "", email ? strlen(email) : 0);
	r.phone.digits = phone ? phone : "";
	r.phone.len = phone ? (uint32_t) strlen(phone) : 0;
	r.address = text(address);
	r.city = text(city);
	r.postcode = text(postcode);
	r.country = text(country);
	return r;
}

static int
name_level(const char *a, const char *b)
{
	CdmMatchName x = name(a),
				y = name(b);
	int			l = cdm_match_name_level(&x, &y);

	CHECK_INT(cdm_match_name_level(&y, &x), l, "name level symmetric: %s / %s", a, b);
	return l;
}

static void
names(void)
{
	CHECK_INT(name_level("John", "John"), CDM_NAME_EXACT, "John / John");
	CHECK_INT(name_level("JOHN", "john"), CDM_NAME_FOLDED, "case only");
	CHECK_INT(name_level("Müller", "Muller"), CDM_NAME_FOLDED, "accent folded");
	CHECK_INT(name_level("José", "JOSE"), CDM_NAME_FOLDED, "accent and case");
	CHECK_INT(name_level("Müller", "Mueller"), CDM_NAME_NICK_PHONETIC,
			  "muller / mueller: same Double Metaphone (MLR)");
	CHECK_INT(name_level("Jon", "John"), CDM_NAME_NICK_PHONETIC, "Jon / John");
	CHECK_INT(name_level("Bob", "Robert"), CDM_NAME_NICK_PHONETIC, "nickname, JW 0.5");
	CHECK_INT(name_level("Bill", "William"), CDM_NAME_NICK_PHONETIC, "bill -> william");
	CHECK_INT(name_level("Peggy", "Margaret"), CDM_NAME_NICK_PHONETIC, "peggy -> margaret");
	CHECK_INT(name_level("Дмитрий", "Dmitry"), CDM_NAME_NICK_PHONETIC,
			  "Cyrillic folds to dmitrij, same code as dmitry");
	CHECK_INT(name_level("Martha", "Marhta"), CDM_NAME_JW92, "transposition: JW 0.961");
	CHECK_INT(name_level("Thompson", "Thomson"), CDM_NAME_JW92, "codes TMPS / TMSN differ, JW 0.975");
	CHECK_INT(name_level("Jo", "John"), CDM_NAME_JW80, "jo / john: JW 0.867, no code match");
	CHECK_INT(name_level("J", "John"), CDM_NAME_INITIAL, "initial");
	CHECK_INT(name_level("j.", "JOHN"), CDM_NAME_INITIAL, "initial with a dot folds to j");
	CHECK_INT(name_level("J", "Mary"), CDM_NAME_ELSE, "other initial");
	CHECK_INT(name_level("J", "J"), CDM_NAME_EXACT, "two equal initials");
	CHECK_INT(name_level("John", "Mary"), CDM_NAME_ELSE, "different names");
	CHECK_INT(name_level("Smith", "Jones"), CDM_NAME_ELSE, "different families");
	CHECK_INT(name_level("", "John"), 0, "missing");
	CHECK_INT(name_level(NULL, NULL), 0, "both missing");
	CHECK_INT(name_level("Robert", "Roberta"), CDM_NAME_NICK_PHONETIC,
			  "robert / roberta: same Double Metaphone RBRT (level 3 is coarse)");
}

static void
swapped(void)
{
	CdmMatchRecord a = record("John", "Smith", 0, 0, 0, 0, 0, 0, 0);
	CdmMatchRecord b = record("Smith", "John", 0, 0, 0, 0, 0, 0, 0);
	CdmMatchRecord c = record("Jon", "Smyth", 0, 0, 0, 0, 0, 0, 0);
	CdmMatchRecord d = record("Smith", "Mary", 0, 0, 0, 0, 0, 0, 0);
	uint64_t	p = cdm_match_compare(&a, &b);

	CHECK_INT(cdm_match_level(p, CDM_ROLE_GIVEN_NAME), CDM_NAME_EXACT, "swapped given");
	CHECK_INT(cdm_match_level(p, CDM_ROLE_FAMILY_NAME), CDM_NAME_EXACT, "swapped family");
	CHECK_INT(cdm_match_level(p, CDM_ROLE_DOB), 0, "no dob: missing");
	p = cdm_match_compare(&b, &c);
	CHECK_INT(cdm_match_level(p, CDM_ROLE_GIVEN_NAME), CDM_NAME_NICK_PHONETIC,
			  "swapped, phonetic: smith ~ smyth");
	CHECK_INT(cdm_match_level(p, CDM_ROLE_FAMILY_NAME), CDM_NAME_NICK_PHONETIC,
			  "swapped, phonetic: john ~ jon");
	/*
	 * Crosswise levels that differ (fuzz_match): john ~ jon is 3, smith =
	 * smith is 1.  Both roles take 3, in either order; a's view (3, 1) was
	 * (1, 3) from b's side.
	 */
	{
		CdmMatchRecord e = record("Smith", "Jon", 0, 0, 0, 0, 0, 0, 0);
		uint64_t	q = cdm_match_compare(&e, &a);

		p = cdm_match_compare(&a, &e);
		CHECK(p == q, "swapped, levels 3 and 1: compare symmetric (%llx / %llx)",
			  (unsigned long long) p, (unsigned long long) q);
		CHECK_INT(cdm_match_level(p, CDM_ROLE_GIVEN_NAME), CDM_NAME_NICK_PHONETIC,
				  "swapped, levels 3 and 1: given takes the worse");
		CHECK_INT(cdm_match_level(p, CDM_ROLE_FAMILY_NAME), CDM_NAME_NICK_PHONETIC,
				  "swapped, levels 3 and 1: family takes the worse");
	}
	/* only one crosswise agreement: no swap */
	p = cdm_match_compare(&a, &d);
	CHECK_INT(cdm_match_level(p, CDM_ROLE_GIVEN_NAME), CDM_NAME_ELSE, "half swap: given");
	CHECK_INT(cdm_match_level(p, CDM_ROLE_FAMILY_NAME), CDM_NAME_ELSE, "half swap: family");
	/* straight agreement wins */
	p = cdm_match_compare(&a, &c);
	CHECK_INT(cdm_match_level(p, CDM_ROLE_GIVEN_NAME), CDM_NAME_NICK_PHONETIC, "straight given");
	CHECK_INT(cdm_match_level(p, CDM_ROLE_FAMILY_NAME), CDM_NAME_NICK_PHONETIC, "straight family");
}

static void
dobs(void)
{
	CHECK_INT(cdm_match_dob_level(19800131, 19800131), CDM_DOB_EXACT, "dob exact");
	CHECK_INT(cdm_match_dob_level(19800312, 19801203), CDM_DOB_DM_SWAP, "day/month swapped");
	CHECK_INT(cdm_match_dob_level(19800131, 19810131), CDM_DOB_YEAR1, "year + 1");
	CHECK_INT(cdm_match_dob_level(19800131, 19790131), CDM_DOB_YEAR1, "year - 1 across a decade");
	CHECK_INT(cdm_match_dob_level(19800131, 19800137), CDM_DOB_ONE_DIGIT, "one digit (even if invalid day)");
	CHECK_INT(cdm_match_dob_level(19800131, 19900131), CDM_DOB_ONE_DIGIT, "decade typo: one digit");
	CHECK_INT(cdm_match_dob_level(19800131, 19820131), CDM_DOB_ONE_DIGIT, "year + 2: one digit");
	CHECK_INT(cdm_match_dob_level(19800131, 19811231), CDM_DOB_ELSE, "two digits off");
	CHECK_INT(cdm_match_dob_level(19500612, 19800612), CDM_DOB_ONE_DIGIT,
			  "1950 / 1980 is one digit: not a conflict by itself");
	CHECK_INT(cdm_match_dob_level(19520612, 19830612), CDM_DOB_ELSE, "father and son");
	CHECK_INT(cdm_match_dob_level(20190316, 20190415), CDM_DOB_NEAR, "a month apart: near");
	CHECK_INT(cdm_match_dob_level(19780201, 19770101), CDM_DOB_NEAR, "396 days apart: near");
	CHECK_INT(cdm_match_dob_level(19800131, 19810305), CDM_DOB_NEAR, "399 days (across 29 Feb 1980): near");
	CHECK_INT(cdm_match_dob_level(19810305, 19800131), CDM_DOB_NEAR, "near is symmetric");
	CHECK_INT(cdm_match_dob_level(19800131, 19810306), CDM_DOB_ELSE, "400 days: else");
	CHECK_INT(cdm_match_dob_level(19991231, 20000102), CDM_DOB_NEAR, "two days across a century: near");
	CHECK_INT(cdm_match_dob_level(19000301, 19000227), CDM_DOB_NEAR, "1900 is no leap year: near");
	CHECK(!cdm_match_dob_conflict(19780201, 19770101), "near dates are no conflict");
	CHECK_INT(cdm_match_dob_level(CDM_DOB_MISSING, 19800131), 0, "missing");
	CHECK_INT(cdm_match_dob_level(-5, 19800131), 0, "negative: missing");
	CHECK_INT(cdm_match_dob_level(100000000, 100000000), 0, "too large: missing");
	CHECK_INT(cdm_match_dob_level(19800101, 19800101), CDM_DOB_EXACT, "day = month, exact");
	CHECK(cdm_match_dob_conflict(19520612, 19830612), "father/son conflict");
	CHECK(!cdm_match_dob_conflict(19520612, 0), "missing never conflicts");
	CHECK(!cdm_match_dob_conflict(19520612, 19530612), "year off by one is not a conflict");
	CHECK(!cdm_match_dob_conflict(19780201, 19770101), "two fields slipped within a year or two: no conflict");
	CHECK(!cdm_match_dob_conflict(19780201, 19920101), "14 years apart: no conflict");
	CHECK(cdm_match_dob_conflict(19780201, 19930101), "15 years apart: a generation, conflict");
}

static void
contacts(void)
{
	CdmMatchEmail a,
				b;
	CdmMatchPhone p1 = {"33612345678", 11},
				p2 = {"612345678", 9},
				p3 = {"33612345679", 11},
				p4 = {"336123456789", 12},
				p5 = {"4420794601", 10},
				p6 = {"", 0},
				p7 = {"123", 3},
				p8 = {"124", 3};

#define EMAIL_LEVEL(x, y) (cdm_match_email_prepare(&a, x, strlen(x)), \
						   cdm_match_email_prepare(&b, y, strlen(y)), \
						   cdm_match_email_level(&a, &b))
	CHECK_INT(EMAIL_LEVEL("john.smith@example.com", "john.smith@example.com"), 1, "email equal");
	CHECK_INT(EMAIL_LEVEL("john.smith@example.com", "john.smith@gmail.com"), 2, "local equal");
	CHECK_INT(EMAIL_LEVEL("john.smith@example.com", "jon.smith@gmail.com"), 3, "local JW");
	CHECK_INT(EMAIL_LEVEL("john.smith@example.com", "mary@example.com"), 4, "different");
	CHECK_INT(EMAIL_LEVEL("", "mary@example.com"), 0, "missing");
	CHECK_INT(EMAIL_LEVEL("a@b@c.com", "a@b@d.com"), 2, "split at the last @");
	CHECK_INT(EMAIL_LEVEL("nobody", "nobody"), 1, "no @: equal");
#undef EMAIL_LEVEL
	CHECK_INT(cdm_match_phone_level(&p1, &p1), 1, "phone equal");
	CHECK_INT(cdm_match_phone_level(&p1, &p2), 2, "national vs international: last 7");
	CHECK_INT(cdm_match_phone_level(&p1, &p3), 3, "one digit substituted");
	CHECK_INT(cdm_match_phone_level(&p1, &p4), 3, "one digit inserted");
	CHECK_INT(cdm_match_phone_level(&p4, &p1), 3, "one digit deleted");
	CHECK_INT(cdm_match_phone_level(&p1, &p5), 4, "different");
	CHECK_INT(cdm_match_phone_level(&p1, &p6), 0, "missing");
	CHECK_INT(cdm_match_phone_level(&p7, &p8), 3, "short: one edit");
}

static int
text_level(int (*f) (const CdmMatchText *, const CdmMatchText *),
		   const char *x, const char *y)
{
	CdmMatchText a = text(x),
				b = text(y);

	return f(&a, &b);
}

static void
places(void)
{
	CHECK_INT(text_level(cdm_match_address_level, "12 High Street", "12 high street"), 1,
			  "address folded equal");
	CHECK_INT(text_level(cdm_match_address_level, "12 High Street Flat 3", "Flat 3, 12 High Street"), 2,
			  "same words, other order: Jaccard 1");
	CHECK_INT(text_level(cdm_match_address_level, "12 High Street", "12 High Stret"), 2,
			  "typo: JW >= 0.9");
	CHECK_INT(text_level(cdm_match_address_level, "12 High Street", "40 Station Road"), 3,
			  "different");
	CHECK_INT(text_level(cdm_match_address_level, "a b c d e", "e d c x y"), 3,
			  "Jaccard 3/7 < 0.6");
	CHECK_INT(text_level(cdm_match_address_level, "a b c d", "d c b a e"), 2,
			  "Jaccard 4/5");
	CHECK_INT(text_level(cdm_match_address_level, "", "x"), 0, "missing");
	CHECK_INT(text_level(cdm_match_city_level, "München", "Munchen"), 1, "city folded");
	CHECK_INT(text_level(cdm_match_city_level, "Manchester", "Manchster"), 2, "city JW");
	CHECK_INT(text_level(cdm_match_city_level, "Paris", "Lyon"), 3, "city else");
	CHECK_INT(text_level(cdm_match_postcode_level, "SW1A 1AA", "sw1a 1aa"), 1, "postcode equal");
	CHECK_INT(text_level(cdm_match_postcode_level, "SW1A 1AA", "SW1A 2BB"), 2, "postcode district");
	CHECK_INT(text_level(cdm_match_postcode_level, "75001", "75002"), 2, "first 3");
	CHECK_INT(text_level(cdm_match_postcode_level, "75001", "69001"), 3, "postcode else");
	CHECK_INT(text_level(cdm_match_postcode_level, "75", "75"), 1, "short equal");
	CHECK_INT(text_level(cdm_match_postcode_level, "75", "751"), 3, "short: no prefix level");
	CHECK_INT(text_level(cdm_match_country_level, "FR", "fr"), 1, "country");
	CHECK_INT(text_level(cdm_match_country_level, "FR", "DE"), 2, "country else");
}

/* Organisation names, as cdm_org_name_norm_folded gives them. */
static void
organisations(void)
{
	CdmMatchRecord org,
				person,
				employee,
				other_org,
				nameless;

	CHECK_INT(text_level(cdm_match_org_level, "acme", "acme"), 1, "org equal");
	CHECK_INT(text_level(cdm_match_org_level, "stagg", "chicago public schools stagg amos a"), 2,
			  "org: one's words all in the other");
	CHECK_INT(text_level(cdm_match_org_level, "north lawndale ymca", "ymca north lawndale"), 2,
			  "org: same words, other order");
	CHECK_INT(text_level(cdm_match_org_level, "hull house assn parkway",
						 "hull house association parkway community center"), 3,
			  "org: 3 of the shorter's 4 words");
	CHECK_INT(text_level(cdm_match_org_level, "carole robertson center", "carol robertson centre"), 4,
			  "org: one word of three in common, JW < 0.92");
	CHECK_INT(text_level(cdm_match_org_level, "robertson learning", "robertsen learning"), 3,
			  "org: half the words");
	CHECK_INT(text_level(cdm_match_org_level, "acme widgets", "acme widget"), 3, "org: JW >= 0.92");
	CHECK_INT(text_level(cdm_match_org_level, "acme widgets", "zenith tools"), 5, "org else");
	CHECK_INT(text_level(cdm_match_org_level, "", "acme"), 0, "org missing");
	CHECK_INT(text_level(cdm_match_domain_level, "acme.example", "acme.example"), 1, "domain equal");
	CHECK_INT(text_level(cdm_match_domain_level, "acme.example", "acme.test"), 2, "domain else");
	CHECK_INT(text_level(cdm_match_domain_level, NULL, "acme.example"), 0, "domain missing");

	/* an organisation never links with a person, whatever else they share */
	org = record(NULL, NULL, 0, "info@acme.example", "14155550100", "1 Main St", NULL, NULL, NULL);
	org.org = text("acme");
	other_org = org;
	other_org.org = text("acme widgets");
	person = record("Ada", "Quist", 0, "info@acme.example", "14155550100", "1 Main St", NULL, NULL, NULL);
	employee = person;
	employee.org = text("acme");	/* a person's employer */
	nameless = record(NULL, NULL, 0, "info@acme.example", NULL, NULL, NULL, NULL, NULL);
	CHECK(cdm_match_cannot_link(&org, &person) && cdm_match_cannot_link(&person, &org),
		  "organisation vs person: cannot link");
	CHECK(cdm_match_cannot_link(&org, &employee), "organisation vs a person working there: cannot link");
	CHECK(!cdm_match_cannot_link(&org, &other_org), "two organisations may link");
	CHECK(!cdm_match_cannot_link(&person, &employee), "two persons may link");
	CHECK(!cdm_match_cannot_link(&org, &nameless) && !cdm_match_cannot_link(&person, &nameless),
		  "a record without names: no kind, no guard");
	CHECK_INT(cdm_match_level(cdm_match_compare(&org, &other_org), CDM_ROLE_ORGANISATION_NAME), 2,
			  "compare packs the organisation level");
	CHECK_INT(cdm_match_level(cdm_match_compare(&person, &employee), CDM_ROLE_ORGANISATION_NAME), 0,
			  "one side without an organisation: neutral");
	/* sites: two organisations at clearly different addresses */
	{
		CdmMatchRecord site = other_org;

		site.address = text("40 Station Road");
		CHECK(cdm_match_sites_apart(&org, &site, cdm_match_compare(&org, &site)),
			  "two organisations at different addresses: two sites");
		CHECK(!cdm_match_sites_apart(&org, &other_org, cdm_match_compare(&org, &other_org)),
			  "one address: one site");
		site.address = text(NULL);
		CHECK(!cdm_match_sites_apart(&org, &site, cdm_match_compare(&org, &site)),
			  "an address missing: no rule");
		CHECK(!cdm_match_sites_apart(&person, &employee, cdm_match_compare(&person, &employee)),
			  "people are not sites");
	}
	/* a model of the nine roles before organisation_name scores as it did */
	{
		CdmFsModel	old_model,
					full;
		uint64_t	p = cdm_match_compare(&org, &other_org);

		cdm_match_model_init(&full);
		old_model = full;
		old_model.nroles = CDM_ROLE_ORGANISATION_NAME;	/* the nine roles before */
		cdm_fs_model_prepare(&old_model);
		cdm_match_model_complete(&old_model);
		CHECK_INT(old_model.nroles, CDM_MATCH_NROLES, "completed model has every role");
		CHECK(fabs(old_model.role[CDM_ROLE_ORGANISATION_NAME].w[2]) < 1e-12,
			  "the added role weighs nothing");
		CHECK(cdm_fs_weight(&full, p) > cdm_fs_weight(&old_model, p),
			  "the full model counts the agreeing organisation names, the old one not");
	}
	/* a model stored before dob "near": a near pair scores as "else" did */
	{
		CdmFsModel	old_model,
					full;
		uint64_t	near = cdm_match_set_level(0, CDM_ROLE_DOB, CDM_DOB_NEAR);
		uint64_t	other = cdm_match_set_level(0, CDM_ROLE_DOB, CDM_DOB_ELSE);

		cdm_match_model_init(&full);
		old_model = full;
		old_model.role[CDM_ROLE_DOB].nlevels = CDM_DOB_NEAR;	/* levels 0..5 */
		old_model.role[CDM_ROLE_DOB].m[CDM_DOB_NEAR] = 0;
		old_model.role[CDM_ROLE_DOB].u[CDM_DOB_NEAR] = 0;
		CHECK(cdm_fs_model_prepare(&old_model), "the six-level dob model is valid");
		CHECK(cdm_fs_weight(&old_model, near) == cdm_fs_weight(&old_model, 0),
			  "before completion, near reads as missing");
		cdm_match_model_complete(&old_model);
		CHECK_INT(old_model.role[CDM_ROLE_DOB].nlevels, CDM_MATCH_DOB_NLEVELS, "dob completed");
		CHECK(cdm_fs_weight(&old_model, near) == cdm_fs_weight(&old_model, other),
			  "completed: near weighs what else weighs");
		CHECK(cdm_fs_weight(&full, near) > cdm_fs_weight(&full, other),
			  "a new model: near weighs more than else");
	}
}

static void
whole_records(void)
{
	CdmMatchRecord a = record("Robert", "Müller", 19800312, "bob.mueller@example.com",
							  "33612345678", "12 rue de la Paix", "Paris", "75002", "FR");
	CdmMatchRecord b = record("Bob", "Mueller", 19801203, "bob.mueller@gmail.com",
							  "612345678", "12 rue de la paix", "PARIS", "75002", "fr");
	CdmMatchRecord c = record("Robert", "Müller", 19520612, NULL, NULL,
							  "12 rue de la Paix", "Paris", NULL, "FR");
	CdmMatchRecord d = record("Robert", "Müller", 19830612, NULL, NULL,
							  "12 rue de la Paix", "Paris", NULL, "FR");
	uint64_t	p = cdm_match_compare(&a, &b);
	/* email: local parts equal, but the names agree already: neutral (0) */
	static const int want[CDM_MATCH_NROLES] = {3, 3, 2, 0, 2, 1, 1, 1, 1, 0, 0};
	double		tf[CDM_MATCH_NROLES];

	for (int r = 0; r < CDM_MATCH_NROLES; r++)
	{
		CHECK_INT(cdm_match_level(p, r), want[r], "robert/bob record: role %s",
				  cdm_match_role_names[r]);
		CHECK(cdm_match_level(p, r) < cdm_match_nlevels[r], "level in range");
	}
	CHECK_INT(cdm_match_compare(&b, &a), p, "compare symmetric");
	CHECK(cdm_match_cannot_link(&c, &d), "father and son: cannot link");
	CHECK(!cdm_match_cannot_link(&a, &c) || cdm_match_dob_conflict(a.dob, c.dob),
		  "cannot_link is the dob conflict");
	CHECK(!cdm_match_cannot_link(&a, &a), "self");

	/* TF: straight folded-equal names only */
	a.family.tf = 0.001;
	c.family.tf = 0.003;
	c.given.tf = 0.02;
	p = cdm_match_compare(&a, &c);
	cdm_match_tf(&a, &c, p, tf);
	CHECK(tf[CDM_ROLE_FAMILY_NAME] == 0.003, "tf: the larger side, %g", tf[CDM_ROLE_FAMILY_NAME]);
	CHECK(tf[CDM_ROLE_GIVEN_NAME] == 0.02, "tf: a side with 0 is unknown");
	CHECK(tf[CDM_ROLE_DOB] == 0, "tf only for names");
	p = cdm_match_compare(&a, &b);
	cdm_match_tf(&a, &b, p, tf);
	CHECK(tf[CDM_ROLE_FAMILY_NAME] == 0, "tf: nothing at the phonetic level");

	/* one-call scoring = compare + tf + weight */
	{
		CdmFsModel	m;
		uint64_t	q = 0;
		double		w;

		cdm_match_model_init(&m);
		w = cdm_match_weight(&m, &a, &c, &q);
		cdm_match_tf(&a, &c, q, tf);
		CHECK(q == cdm_match_compare(&a, &c), "cdm_match_weight gives the pattern");
		CHECK(w == cdm_fs_weight_tf(&m, q, tf), "cdm_match_weight = weight_tf");
		CHECK(w != cdm_fs_weight(&m, q), "TF applied (robert, muller agree)");
		CHECK(cdm_match_weight(&m, &a, &b, NULL) > cdm_match_weight(&m, &c, &d, NULL),
			  "robert/bob record outweighs father/son");
		/*
		 * Father and son agree on everything but the dob: with the
		 * starting priors the dob disagreement costs only about 4 bits
		 * and the pair scores p > 0.99 -- which is why clustering has
		 * the cannot-link guard instead of trusting the score.
		 */
		{
			double		out[CDM_MATCH_NROLES];

			cdm_fs_role_weights(&m, cdm_match_compare(&c, &d), NULL, out);
			CHECK(out[CDM_ROLE_DOB] < -4, "father/son: dob weighs against: %g", out[CDM_ROLE_DOB]);
			CHECK(cdm_fs_probability(cdm_match_weight(&m, &c, &d, NULL)) > 0.99,
				  "father/son: the score alone would link them");
		}
	}
}

/* Every root of the nickname table hashes differently. */
static void
root_hashes(void)
{
	static uint32_t seen[8192];
	static const char *who[8192];
	size_t		nseen = 0;
	int			collisions = 0;

	for (size_t i = 0; i < cdm_nickname_npairs; i++)
	{
		const char *keys[2] = {cdm_nickname_pairs[i].name, cdm_nickname_pairs[i].nickname};

		for (int k = 0; k < 2; k++)
		{
			CdmMatchName n = name(keys[k]);
			const char *root = cdm_nickname_root(keys[k], strlen(keys[k]));
			bool		dup = false;

			if (!root || n.nick_root == 0)
			{
				collisions += (root != NULL) != (n.nick_root != 0);
				continue;
			}
			for (size_t j = 0; j < nseen; j++)
				if (seen[j] == n.nick_root)
				{
					dup = true;
					collisions += strcmp(who[j], root) != 0;
					break;
				}
			if (!dup && nseen < 8192)
			{
				seen[nseen] = n.nick_root;
				who[nseen++] = root;
			}
		}
		arena_free();
	}
	CHECK_INT(collisions, 0, "nickname root hash collisions");
	CHECK(nseen > 500, "roots seen: %zu", nseen);
}

/*
 * The Bloom shortcut agrees with cdm_nickname_related: every listed pair is
 * at level <= 3, and on random pairs of table names a level-3 pair whose
 * codes differ is one the table relates, and a related pair is <= 3.
 */
static void
nickname_shortcut(void)
{
	int			missed = 0,
				wrong = 0,
				related = 0;

	for (size_t i = 0; i < cdm_nickname_npairs; i++)
	{
		CdmMatchName a = name(cdm_nickname_pairs[i].name);
		CdmMatchName b = name(cdm_nickname_pairs[i].nickname);

		missed += cdm_match_name_level(&a, &b) > CDM_NAME_NICK_PHONETIC;
		arena_free();
	}
	CHECK_INT(missed, 0, "listed pairs below level 3");
	for (int i = 0; i < 20000; i++)
	{
		const char *x = cdm_nickname_pairs[unit_rand() % cdm_nickname_npairs].nickname;
		const char *y = cdm_nickname_pairs[unit_rand() % cdm_nickname_npairs].name;
		CdmMatchName a = name(x),
					b = name(y);
		int			l = cdm_match_name_level(&a, &b);
		bool		rel = cdm_nickname_related(x, strlen(x), y, strlen(y));

		related += rel;
		if (rel && l > CDM_NAME_NICK_PHONETIC)
			wrong++;
		if (!rel && l == CDM_NAME_NICK_PHONETIC && a.dm != b.dm)
			wrong++;
		arena_free();
	}
	CHECK_INT(wrong, 0, "Bloom shortcut disagrees with cdm_nickname_related");
	CHECK(related > 0, "some random pairs are related: %d", related);
}

/* ---------------------------------------------------------------- benchmark */

static const char *const givens[] = {
	"John", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "William",
	"Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
	"Thomas", "Sarah", "Charles", "Karen", "Christopher", "Nancy", "Daniel",
	"Lisa", "Matthew", "Margaret", "Anthony", "Betty", "Mark", "Sandra",
	"Дмитрий", "José", "François", "Zoë"
};
static const char *const families[] = {
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller",
	"Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez",
	"Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
	"Müller", "Schmidt", "Nguyen", "O'Brien"
};
static const char *const streets[] = {
	"High Street", "Station Road", "Main Street", "Church Lane", "rue de la Paix",
	"Park Avenue", "Victoria Road", "Green Lane"
};
static const char *const cities[] = {"London", "Paris", "Berlin", "Lyon", "Manchester", "Munich"};

/* s with one character changed, deleted or swapped (a typo). */
static void
typo(char *s)
{
	size_t		n = strlen(s);
	size_t		i;

	if (n < 3)
		return;
	i = 1 + unit_rand() % (n - 2);
	if ((unsigned char) s[i] >= 0x80 || (unsigned char) s[i + 1] >= 0x80)
		return;
	switch (unit_rand() % 3)
	{
		case 0:
			s[i] = (char) ('a' + unit_rand() % 26);
			break;
		case 1:
			memmove(s + i, s + i + 1, n - i);
			break;
		default:
			{
				char		t = s[i];

				s[i] = s[i + 1];
				s[i + 1] = t;
			}
	}
}

#define NREC 4000
#define NPAIRS 100000

static CdmMatchRecord *
synthetic_records(void)
{
	CdmMatchRecord *r = malloc(NREC * sizeof(CdmMatchRecord));

	for (int i = 0; i < NREC; i++)
	{
		char		g[64],
					f[64],
					addr[96],
					email[96],
					phone[16];
		bool		dup = i % 2 == 1;	/* odd records: noisy copy of the previous */
		uint64_t	x = unit_rand();

		{
			int			src = dup ? i - 1 : i;
			uint64_t	s = (uint64_t) src * 2654435761u;

			snprintf(g, sizeof(g), "%s", givens[s % 32]);
			snprintf(f, sizeof(f), "%s", families[(s >> 8) % 24]);
			snprintf(addr, sizeof(addr), "%d %s", (int) (s >> 16) % 200 + 1, streets[(s >> 24) % 8]);
			snprintf(email, sizeof(email), "user%d@example.com", src);
			snprintf(phone, sizeof(phone), "4420%07d", (int) ((s >> 5) % 10000000));
			if (dup && x % 3 == 0)
				typo(g);
			if (dup && x % 5 == 0)
				typo(f);
			if (dup && x % 4 == 0)
				typo(addr);
			r[i] = record(keep(strdup(g)), keep(strdup(f)),
						  19400101 + (int) (s % 60) * 10000 + (int) ((s >> 7) % 12) * 100 + (int) ((s >> 11) % 28),
						  keep(strdup(email)), keep(strdup(phone)), addr,
						  cities[(s >> 30) % 6], "SW1A 1AA", "GB");
			if (dup && x % 7 == 0)
				r[i].email.len = 0;
		}
	}
	return r;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void
benchmark(void)
{
	CdmMatchRecord *r = synthetic_records();
	uint32_t   *pa = malloc(NPAIRS * sizeof(uint32_t) * 2);
	uint64_t   *pat = malloc(NPAIRS * sizeof(uint64_t));
	CdmFsModel	model;
	double		t0,
				t1,
				t2,
				sum = 0;
	int			agree = 0;

	/*
	 * Half noisy duplicate pairs, half pairs of unrelated records (every
	 * role present, Jaro-Winkler wherever the values differ: the costly
	 * case).
	 */
	for (int i = 0; i < NPAIRS; i++)
	{
		uint32_t	a = (uint32_t) (unit_rand() % (NREC / 2)) * 2;
		uint32_t	b = a + 1;

		if (i % 2 == 0)
			b = (uint32_t) ((a + 48 * (1 + unit_rand() % 40)) % NREC);
		pa[2 * i] = a;
		pa[2 * i + 1] = b;
	}
	cdm_match_model_init(&model);
	t0 = now();
	for (int i = 0; i < NPAIRS; i++)
		pat[i] = cdm_match_compare(&r[pa[2 * i]], &r[pa[2 * i + 1]]);
	t1 = now();
	for (int i = 0; i < NPAIRS; i++)
		sum += cdm_fs_weight(&model, pat[i]);
	t2 = now();
	{
		/* the two halves apart: duplicates (cheap) and strangers (JW) */
		double		td0,
					td1,
					td2;
		uint64_t	x = 0;

		td0 = now();
		for (int i = 1; i < NPAIRS; i += 2)
			x ^= cdm_match_compare(&r[pa[2 * i]], &r[pa[2 * i + 1]]);
		td1 = now();
		for (int i = 0; i < NPAIRS; i += 2)
			x ^= cdm_match_compare(&r[pa[2 * i]], &r[pa[2 * i + 1]]);
		td2 = now();
		printf("bench: noisy duplicate pairs %.0f ns/pair, other pairs %.0f ns/pair (%llx)\n",
			   (td1 - td0) * 1e9 / (NPAIRS / 2), (td2 - td1) * 1e9 / (NPAIRS / 2),
			   (unsigned long long) (x & 0xF));
	}
	for (int i = 0; i < NPAIRS; i++)
		agree += cdm_match_level(pat[i], CDM_ROLE_GIVEN_NAME) <= CDM_NAME_NICK_PHONETIC;
	printf("bench: cdm_match_compare %.0f ns/pair, cdm_fs_weight %.1f ns/pattern "
		   "(%d pairs, %d given names at level <= 3, weight sum %.0f)\n",
		   (t1 - t0) * 1e9 / NPAIRS, (t2 - t1) * 1e9 / NPAIRS, NPAIRS, agree, sum);
	CHECK(agree > NPAIRS / 2 && agree < NPAIRS, "synthetic pairs mix agreement: %d", agree);
	free(pa);
	free(pat);
	free(r);
}

int
main(void)
{
	names();
	swapped();
	dobs();
	contacts();
	places();
	organisations();
	whole_records();
	arena_free();
	root_hashes();
	nickname_shortcut();
	benchmark();
	arena_free();
	return unit_report("match");
}
