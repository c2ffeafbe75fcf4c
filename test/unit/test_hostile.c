/*
 * test_hostile.c - the core under hostile input: random code points of every
 * plane, combining marks, controls, emoji sequences, characters that expand
 * when folded, noncharacters, long runs; random bytes (invalid UTF-8: a
 * SQL_ASCII database hands the e-mail and phone code its bytes unconverted);
 * random binary programs, timelines and model texts.
 *
 * Every buffer is allocated to exactly the size the core's contract names
 * (the capacity passed, the *_workspace() size, the OUT_SIZE macros), so a
 * run under the sanitizers (make unit SANITIZE=1) turns any write or read
 * past it into a failure.  Besides not crashing, each call must keep its
 * documented promises: the retry protocol returns the same length, results
 * stay within their bounds, distances are symmetric and ordered, what is
 * accepted round-trips.
 */
#include <math.h>

#include "unit.h"

#include "active_rule.h"
#include "address.h"
#include "country.h"
#include "daitch_mokotoff.h"
#include "damerau.h"
#include "dmetaphone.h"
#include "email.h"
#include "fold.h"
#include "fs_model.h"
#include "hamming.h"
#include "jaro.h"
#include "key.h"
#include "levenshtein.h"
#include "metaphone.h"
#include "name_parts.h"
#include "name_similarity.h"
#include "nickname.h"
#include "nysiis.h"
#include "phone.h"
#include "qgram.h"
#include "soundex.h"
#include "stage_model.h"
#include "timeline.h"
#include "translit.h"
#include "utf8.h"

#define MAXN 2500

static size_t
pick_len(void)
{
	static const size_t lens[] = {0, 1, 2, 3, 63, 64, 65, 127, 128, 129, 300, 1000};

	if (unit_rand() % 4 == 0)
		return (size_t) (unit_rand() % MAXN);
	return lens[unit_rand() % (sizeof(lens) / sizeof(lens[0]))];
}

static cdm_char
any_scalar(void)
{
	cdm_char	c = (cdm_char) (1 + unit_rand() % 0x10FFFF);

	return (c >= 0xD800 && c <= 0xDFFF) ? c + 0x800 : c;
}

/* One hostile character of kind k. */
static cdm_char
hostile_char(int k)
{
	static const cdm_char emoji[] = {0x1F469, 0x200D, 0x1F467, 0x1F3FD, 0x1F1FA, 0x1F1F8, 0xFE0F,
	0x20E3, 0x1F3F3, 0xE0067, 0xE007F, 0x1F9D1, 0x1F91D};
	static const cdm_char expand[] = {0xFDFA, 0x33AF, 0xFB03, 0xDF, 0x130, 0x1C5, 0x390, 0x149,
	0x2474, 0x3300, 0x1E9E, 0xFDFB};
	static const cdm_char odd[] = {0xFFFE, 0xFFFF, 0x10FFFF, 0xFDD0, 0x1FFFE, 0xFEFF, 0x202E,
	0x200F, 0x2067, 0x0085, 0x00A0, 0x3000, 0x2028};
	static const cdm_char digits[] = {0x660, 0x669, 0x6F1, 0x967, 0xE51, 0xFF10, 0xFF19, '0', '9'};

	switch (k)
	{
		case 0:
			return any_scalar();
		case 1:
			{
				static const cdm_char base[] = {'A', 0x410, 0x3B1, 0x4E00, 0xAC00, 0x627, 0x905, 0xE01};
				static const int span[] = {26, 64, 25, 20000, 11000, 36, 37, 46};
				int			s = (int) (unit_rand() % 8);

				return base[s] + (cdm_char) (unit_rand() % (uint64_t) span[s]);
			}
		case 2:
			return unit_rand() % 8 ? 0x300 + (cdm_char) (unit_rand() % 112) : 'e';
		case 3:
			return (cdm_char) (unit_rand() % 3 ? 1 + unit_rand() % 127 : 0x80 + unit_rand() % 32);
		case 4:
			return emoji[unit_rand() % (sizeof(emoji) / sizeof(emoji[0]))];
		case 5:
			return expand[unit_rand() % (sizeof(expand) / sizeof(expand[0]))];
		case 6:
			return unit_rand() % 5 ? 'a' + (cdm_char) (unit_rand() % 26) : (unit_rand() % 2 ? ' ' : ',');
		case 7:
			return odd[unit_rand() % (sizeof(odd) / sizeof(odd[0]))];
		case 8:
			return digits[unit_rand() % (sizeof(digits) / sizeof(digits[0]))];
		default:
			return 'x';
	}
}

#define NKINDS 10

/* n hostile code points of one kind, or (one time in four) of mixed kinds. */
static cdm_char *
hostile(size_t *n)
{
	int			kind = (int) (unit_rand() % NKINDS);
	bool		mixed = unit_rand() % 4 == 0;
	cdm_char   *s;

	*n = pick_len();
	s = malloc(*n * sizeof(cdm_char) + 1);
	for (size_t i = 0; i < *n; i++)
		s[i] = hostile_char(mixed ? (int) (unit_rand() % NKINDS) : kind);
	return s;
}

/* UTF-8 of code points (malloc'd, exact), or raw random bytes. */
static char *
hostile_bytes(size_t *len)
{
	char	   *b;

	if (unit_rand() % 3 == 0)
	{
		*len = pick_len();
		b = malloc(*len + 1);
		for (size_t i = 0; i < *len; i++)
			b[i] = unit_rand() % 4 ? (char) (unit_rand() % 256) : "@.+-_ ()0123456789"[unit_rand() % 18];
		return b;
	}
	else
	{
		size_t		n;
		cdm_char   *s = hostile(&n);
		size_t		k = 0;

		b = malloc(n * 4 + 1);
		for (size_t i = 0; i < n; i++)
			k += (size_t) cdm_utf8_encode(s[i], b + k);
		free(s);
		*len = k;
		return b;
	}
}

/* The retry protocol of fold and translit, with buffers of exactly cap. */
typedef ptrdiff_t (*grow_fn) (int profile, const cdm_char *in, size_t n,
							  cdm_char *out, size_t cap, const char **err);

static ptrdiff_t
fold_fn(int profile, const cdm_char *in, size_t n, cdm_char *out, size_t cap, const char **err)
{
	(void) profile;
	return cdm_fold(in, n, out, cap, err);
}

static ptrdiff_t
translit_fn(int profile, const cdm_char *in, size_t n, cdm_char *out, size_t cap, const char **err)
{
	return cdm_translit((CdmTranslitProfile) profile, in, n, out, cap, err);
}

static cdm_char *
grow(grow_fn fn, int profile, const cdm_char *in, size_t n, size_t *m, const char *what)
{
	size_t		cap = (size_t) (unit_rand() % (2 * n + 17));
	cdm_char   *out = malloc(cap * sizeof(cdm_char) + 1);
	const char *err = NULL;
	ptrdiff_t	r = fn(profile, in, n, out, cap, &err);

	CHECK(r >= 0, "%s: ICU error on %zu code points: %s", what, n, err ? err : "?");
	if (r > (ptrdiff_t) cap)
	{
		ptrdiff_t	again;

		free(out);
		cap = (size_t) r;
		out = malloc(cap * sizeof(cdm_char) + 1);
		again = fn(profile, in, n, out, cap, &err);
		CHECK_INT(again, r, "%s: the retry with the size asked for gives that size", what);
	}
	*m = r > 0 ? (size_t) r : 0;
	return out;
}

static void
normalise_layer(int rounds)
{
	for (int i = 0; i < rounds; i++)
	{
		size_t		n,
					m,
					t;
		cdm_char   *s = hostile(&n);
		cdm_char   *f = grow(fold_fn, 0, s, n, &m, "cdm_fold");
		cdm_char   *tr = grow(translit_fn, (int) (unit_rand() % CDM_TRANSLIT_NPROFILES), s, n, &t,
							  "cdm_translit");
		char	   *u = malloc(m * 4 + 1);
		size_t		ulen = 0;
		size_t		cap;
		char	   *norm;
		void	   *ws;
		size_t		am;

		for (size_t k = 0; k < m; k++)
			ulen += (size_t) cdm_utf8_encode(f[k], u + ulen);
		/* the folded text never holds upper case ASCII or two spaces running */
		{
			bool		clean = true;

			for (size_t k = 0; k < ulen; k++)
				clean &= !(u[k] >= 'A' && u[k] <= 'Z') && !(k > 0 && u[k] == ' ' && u[k - 1] == ' ');
			CHECK(clean, "folded text is lower case and single spaced");
		}
		cap = ulen + CDM_ADDRESS_GROWTH;
		norm = malloc(cap + 1);
		ws = malloc(cdm_address_workspace(ulen) + 1);
		am = cdm_address_norm_folded(u, ulen, norm, cap, ws);
		CHECK(am <= cap, "address_norm keeps its bound: %zu <= %zu", am, cap);
		free(ws);
		free(norm);
		free(u);
		free(tr);
		free(f);
		free(s);
	}
}

static CdmName
parse_name(const cdm_char *s, size_t n, cdm_char **buf, CdmNameToken **tok)
{
	size_t		cap = (size_t) (unit_rand() % (2 * n + 17));
	size_t		ntok = 0;
	const char *err = NULL;
	ptrdiff_t	m;
	CdmName		name;

	*buf = malloc(cap * sizeof(cdm_char) + 1);
	*tok = malloc(CDM_NAME_MAX_TOKENS(n) * sizeof(CdmNameToken));
	m = cdm_name_parse(s, n, *buf, cap, *tok, &ntok, &err);
	CHECK(m >= 0, "cdm_name_parse: ICU error: %s", err ? err : "?");
	if (m > (ptrdiff_t) cap)
	{
		free(*buf);
		cap = (size_t) m;
		*buf = malloc(cap * sizeof(cdm_char) + 1);
		CHECK_INT(cdm_name_parse(s, n, *buf, cap, *tok, &ntok, &err), m,
				  "cdm_name_parse: the retry gives the size asked for");
	}
	CHECK(ntok <= CDM_NAME_MAX_TOKENS(n), "tokens within CDM_NAME_MAX_TOKENS: %zu", ntok);
	name.buf = *buf;
	name.tok = *tok;
	name.ntok = ntok;
	return name;
}

static void
names(int rounds)
{
	for (int i = 0; i < rounds; i++)
	{
		size_t		n1,
					n2,
					room = 1;
		cdm_char   *s1 = hostile(&n1);
		cdm_char   *s2 = hostile(&n2);
		cdm_char   *b1,
				   *b2;
		CdmNameToken *t1,
				   *t2;
		CdmName		a = parse_name(s1, n1, &b1, &t1);
		CdmName		b = parse_name(s2, n2, &b2, &t2);
		cdm_char   *part;
		double		ab,
					ba;

		for (size_t k = 0; k < a.ntok; k++)
			room += a.tok[k].len + 1;
		part = malloc(room * sizeof(cdm_char));
		for (int role = 0; role < CDM_NAME_NROLES; role++)
			CHECK(cdm_name_part(&a, (CdmNameRole) role, part) < room, "a name part fits its room");
		ab = cdm_name_similarity(&a, &b);
		ba = cdm_name_similarity(&b, &a);
		CHECK(ab >= 0.0 && ab <= 1.0 && fabs(ab - ba) < 1e-9,
			  "name_similarity in 0..1 and symmetric: %g %g", ab, ba);
		free(part);
		free(b1);
		free(b2);
		free(t1);
		free(t2);
		free(s1);
		free(s2);
	}
}

static void
phonetics(int rounds)
{
	for (int i = 0; i < rounds; i++)
	{
		size_t		n;
		cdm_char   *s = hostile(&n);
		char		sx[5],
					p[CDM_DMETAPHONE_MAXLEN + 1],
					alt[CDM_DMETAPHONE_MAXLEN + 1];
		char	   *mp = malloc(CDM_METAPHONE_OUT_SIZE(n));
		char	   *ny = malloc(CDM_NYSIIS_OUT_SIZE(n));
		char		local[4][7];
		char		first[7];
		size_t		max = unit_rand() % 3 ? 0 : 1 + unit_rand() % 8;
		int			dm;

		cdm_soundex(s, n, sx);
		CHECK(strlen(sx) <= 4, "soundex: at most 4 characters");
		cdm_dmetaphone(s, n, p, alt);
		CHECK(strlen(p) <= CDM_DMETAPHONE_MAXLEN && strlen(alt) <= CDM_DMETAPHONE_MAXLEN,
			  "dmetaphone: at most 4 characters");
		CHECK(cdm_metaphone(s, n, max, mp) < CDM_METAPHONE_OUT_SIZE(n), "metaphone within OUT_SIZE");
		CHECK(cdm_nysiis(s, n, max, ny) < CDM_NYSIIS_OUT_SIZE(n), "nysiis within OUT_SIZE");
		dm = cdm_daitch_mokotoff(s, n, local, 4);
		if (dm < 0)
		{
			int			count = cdm_daitch_mokotoff(s, n, NULL, CDM_DM_MAX_CODES);
			char		(*codes)[7] = malloc((size_t) count * 7);

			CHECK(count > 4 && count <= CDM_DM_MAX_CODES, "daitch_mokotoff: -1 means more than 4");
			CHECK_INT(cdm_daitch_mokotoff(s, n, codes, count), count,
					  "daitch_mokotoff: the counted size holds them all");
			free(codes);
		}
		CHECK_INT(cdm_daitch_mokotoff_first(s, n, first) == 0, dm == 0,
				  "daitch_mokotoff: no code exactly when there is no letter");
		free(mp);
		free(ny);
		free(s);
	}
}

static void *
workspace(size_t bytes)
{
	return malloc(bytes ? bytes : 1);
}

static void
compare(int rounds)
{
	for (int i = 0; i < rounds; i++)
	{
		size_t		m,
					n;
		cdm_char   *a = hostile(&m);
		cdm_char   *b;
		void	   *w;
		int64_t		lev;
		int64_t		k = (int64_t) (unit_rand() % 8);
		size_t		dl_ws;
		int64_t		osa;
		double		j,
					jw,
					q;

		if (unit_rand() % 4)
			b = hostile(&n);
		else
		{
			/* the same string, and a copy of it with one change */
			n = m;
			b = memcpy(malloc(m * sizeof(cdm_char) + 1), a, m * sizeof(cdm_char));
			if (n > 0 && unit_rand() % 2)
				b[unit_rand() % n] = any_scalar();
		}
		w = workspace(cdm_levenshtein_workspace(m, n));
		lev = cdm_levenshtein(a, m, b, n, -1, w);
		CHECK(lev >= (int64_t) (m > n ? m - n : n - m) && lev <= (int64_t) (m > n ? m : n),
			  "levenshtein between |m-n| and max(m,n): %lld", (long long) lev);
		CHECK_INT(cdm_levenshtein(a, m, b, n, k, w), lev <= k ? lev : k + 1,
				  "bounded levenshtein: exact up to max, then max + 1");
		free(w);
		w = workspace(cdm_levenshtein_workspace(n, m));
		CHECK_INT(cdm_levenshtein(b, n, a, m, -1, w), lev, "levenshtein is symmetric");
		free(w);
		w = workspace(cdm_osa_workspace(m, n));
		osa = cdm_osa_distance(a, m, b, n, w);
		CHECK(osa <= lev, "osa <= levenshtein");
		free(w);
		dl_ws = cdm_damerau_workspace(a, m, b, n);
		if (dl_ws > 0)
		{
			w = workspace(dl_ws);
			CHECK(cdm_damerau_levenshtein(a, m, b, n, w) <= osa, "damerau <= osa");
			free(w);
		}
		if (m == n)
			CHECK(cdm_hamming(a, m, b, n) >= lev, "hamming >= levenshtein");
		else
			CHECK_INT(cdm_hamming(a, m, b, n), -1, "hamming of unequal lengths is -1");
		w = workspace(cdm_jaro_workspace(m, n));
		j = cdm_jaro(a, m, b, n, w);
		jw = cdm_jaro_winkler(a, m, b, n, w);
		CHECK(j >= 0.0 && j <= 1.0 && jw >= j - 1e-12 && jw <= 1.0, "jaro, jaro-winkler in 0..1");
		free(w);
		{
			static const int qs[] = {1, 2, 3, 64};
			int			qq = qs[unit_rand() % 4];

			w = workspace(cdm_qgram_workspace(m, n, qq));
			q = cdm_qgram_similarity(a, m, b, n, qq, w);
			CHECK(q >= 0.0 && q <= 1.0, "qgram in 0..1");
			free(w);
		}
		free(b);
		free(a);
	}
}

static void
bytes_layer(int rounds)
{
	for (int i = 0; i < rounds; i++)
	{
		size_t		len;
		char	   *s = hostile_bytes(&len);
		char	   *out = malloc(CDM_EMAIL_MAX);
		char	   *e164 = malloc(CDM_PHONE_E164_SIZE);
		const char *err = NULL;
		ptrdiff_t	r = cdm_email_norm(s, len, out, CDM_EMAIL_MAX, &err);
		int			v = cdm_email_valid(s, len, &err);
		char		region[3] = {(char) ('A' + unit_rand() % 26), (char) ('A' + unit_rand() % 26), 0};
		bool		valid;
		CdmPhoneStatus st;
		cdm_char   *cp = malloc(len * sizeof(cdm_char) + 1);
		ptrdiff_t	k = cdm_utf8_decode(s, len, cp);
		char		code[3];
		const char *roots[CDM_NICKNAME_MAX_ROOTS];

		CHECK(r <= CDM_EMAIL_MAX && r >= CDM_EMAIL_ICU_ERROR, "email_norm: within CDM_EMAIL_MAX");
		CHECK_INT(v == 1, r >= 0, "email_valid agrees with email_norm");
		st = cdm_phone_e164(s, len, unit_rand() % 2 ? "US" : region, 2, e164);
		CHECK(st != CDM_PHONE_INTERNAL_ERROR, "libphonenumber did not throw");
		if (st == CDM_PHONE_OK)
			CHECK(e164[0] == '+' && strlen(e164) < CDM_PHONE_E164_SIZE, "E.164: + and digits");
		st = cdm_phone_valid(s, len, s, len < 3 ? len : 3, &valid);
		CHECK(st != CDM_PHONE_INTERNAL_ERROR, "libphonenumber did not throw (hostile region)");
		if (k >= 0)
		{
			char	   *back = malloc((size_t) k * 4 + 1);
			size_t		bl = 0;

			for (ptrdiff_t c = 0; c < k; c++)
				bl += (size_t) cdm_utf8_encode(cp[c], back + bl);
			CHECK(bl == len && memcmp(back, s, len) == 0, "valid UTF-8 encodes back to itself");
			free(back);
		}
		(void) cdm_country_code(s, len, code);
		CHECK(cdm_nickname_roots(s, len, roots) <= CDM_NICKNAME_MAX_ROOTS, "nickname roots fit");
		free(cp);
		free(e164);
		free(out);
		free(s);
	}
}

static void
keys(int rounds)
{
	static CdmKeyBuilder b;

	for (int i = 0; i < rounds; i++)
	{
		size_t		n,
					len,
					nt,
					size,
					tl;
		cdm_char   *s = hostile(&n);
		char	   *bytes = hostile_bytes(&len);
		char	   *text;
		cdm_token  *back;
		size_t		errpos = 0;
		ptrdiff_t	parsed;

		cdm_key_builder_init(&b);
		cdm_key_builder_field(&b, CDM_KEY_NAME);
		cdm_key_add_name(&b, s, n);
		cdm_key_builder_field(&b, CDM_KEY_EMAIL);
		cdm_key_add_words(&b, s, n);
		cdm_key_add_email(&b, bytes, len);
		cdm_key_builder_field(&b, CDM_KEY_PHONE);
		cdm_key_add_phone(&b, bytes, len);
		cdm_key_builder_field(&b, CDM_KEY_ADDRESS);
		cdm_key_add_address(&b, bytes, len);
		cdm_key_builder_field(&b, (unsigned) (unit_rand() % 16));
		cdm_key_add_words(&b, s, n);
		nt = cdm_key_finish(&b);
		CHECK(nt <= CDM_KEY_MAX_TOKENS && cdm_key_is_normal(b.tok, nt), "built keys are normal");
		size = cdm_key_text_size(nt);
		text = malloc(size + 1);
		tl = cdm_key_format(b.tok, nt, text);
		CHECK(tl <= size, "key text within cdm_key_text_size");
		back = malloc(nt * sizeof(cdm_token) + 1);
		parsed = cdm_key_parse(text, tl, back, nt, &errpos);
		CHECK(parsed == (ptrdiff_t) nt && (nt == 0 || memcmp(back, b.tok, nt * sizeof(cdm_token)) == 0),
			  "a key's text parses back to it");
		free(back);
		/* garbage as key text, into a buffer of a random small capacity */
		{
			size_t		cap = (size_t) (unit_rand() % 8);
			cdm_token  *tok = malloc(cap * sizeof(cdm_token) + 1);

			parsed = cdm_key_parse(bytes, len, tok, cap, &errpos);
			CHECK(parsed == -1 ? errpos <= len : (size_t) parsed <= len / 2 + 1,
				  "key_parse: an error position inside, or at most a token per two bytes");
			if (parsed > (ptrdiff_t) cap)
			{
				free(tok);
				tok = malloc((size_t) parsed * sizeof(cdm_token));
				CHECK_INT(cdm_key_parse(bytes, len, tok, (size_t) parsed, &errpos), parsed,
						  "key_parse: the count asked for holds them");
				CHECK(cdm_key_normalise(tok, (size_t) parsed) <= CDM_KEY_MAX_TOKENS,
					  "normalised keys keep the per-field cap");
			}
			free(tok);
		}
		free(text);
		free(bytes);
		free(s);
	}
}

static void
binary_forms(int rounds)
{
	for (int i = 0; i < rounds; i++)
	{
		size_t		len = pick_len() * (1 + unit_rand() % 16);
		uint8_t    *buf = malloc(len + 1);
		CdmStageModel *sm = malloc(sizeof(CdmStageModel));
		CdmActiveRule rule;
		size_t		nev = len / sizeof(CdmEvent);
		CdmEvent   *ev = malloc(nev * sizeof(CdmEvent) + 1);
		char	   *txt = malloc(len + 1);
		CdmFsModel	fs;

		for (size_t k = 0; k < len; k++)
			buf[k] = (uint8_t) (unit_rand() % 8 ? unit_rand() % 256 : 0);
		if (cdm_sm_load(sm, buf, len) == CDM_SM_OK)
		{
			uint8_t    *again = malloc(len + 1);

			CHECK(cdm_sm_serialise(sm, again, len) == len && memcmp(again, buf, len) == 0,
				  "an accepted stage program serialises back to itself");
			free(again);
		}
		if (cdm_active_program_read(buf, len, &rule))
			CHECK_INT(cdm_active_program_size(&rule), len, "an accepted active program has its size");
		memcpy(ev, buf, nev * sizeof(CdmEvent));
		if (cdm_timeline_valid(ev, nev))
			CHECK_INT(cdm_timeline_sort(ev, nev), nev, "a valid timeline is sorted and distinct");
		nev = cdm_timeline_sort(ev, nev);
		{
			bool		ascending = true;

			for (size_t k = 1; k < nev; k++)
				ascending &= cdm_event_cmp(&ev[k - 1], &ev[k]) < 0;
			CHECK(ascending, "sorted events ascend, repeats dropped");
		}
		for (size_t k = 0; k < len; k++)
			txt[k] = buf[k] % 3 ? "0123456789.e-+ \nabcdm=:;,"[buf[k] % 25] : (char) (1 + buf[k] % 127);
		txt[len] = '\0';
		if (cdm_fs_model_from_text(&fs, txt))
		{
			size_t		need = cdm_fs_model_to_text(&fs, NULL, 0);
			char	   *out = malloc(need + 1);

			CHECK(cdm_fs_model_to_text(&fs, out, need + 1) == need, "model text in its size");
			CHECK(cdm_fs_model_from_text(&fs, out), "an accepted model text round-trips");
			free(out);
		}
		free(txt);
		free(ev);
		free(sm);
		free(buf);
	}
}

/* Longer runs for a search (cc -DHOSTILE_SCALE=50 ...): the rounds times this. */
#ifndef HOSTILE_SCALE
#define HOSTILE_SCALE 1
#endif

int
main(void)
{
	normalise_layer(150 * HOSTILE_SCALE);
	names(100 * HOSTILE_SCALE);
	phonetics(300 * HOSTILE_SCALE);
	compare(300 * HOSTILE_SCALE);
	bytes_layer(400 * HOSTILE_SCALE);
	keys(200 * HOSTILE_SCALE);
	binary_forms(400 * HOSTILE_SCALE);
	return unit_report("hostile");
}
