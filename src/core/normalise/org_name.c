/*
 * org_name.c - organisation names without their legal forms (org_name.h).
 *
 * The legal forms are those of company registers as names are written in
 * customer records: the English, German, French, Spanish, Italian, Dutch,
 * Nordic, Central European, Japanese and Malaysian abbreviations and their
 * spelt-out forms.  A form of several words is one entry ("sa de cv").
 */
#include "org_name.h"

#include <stdbool.h>
#include <string.h>

const char *const cdm_org_legal_forms[] = {
	"and", "und", "et",			/* left by "& Co" */
	"inc", "incorporated", "corp", "corporation", "co", "company", "cos", "companies",
	"ltd", "ltda", "limited", "llc", "llp", "lp", "lc", "plc", "pllc",
	"pty", "pte", "pvt", "private", "public",
	"gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "ug", "ev", "eg", "se",
	"sa", "sas", "sasu", "sarl", "eurl", "sca", "snc", "srl", "srls", "spa", "sapa",
	"sl", "slu", "sau", "sab", "sociedad", "anonima", "limitada",
	"bv", "bvba", "nv", "vof", "cv", "oy", "oyj", "ab", "publ", "as", "asa", "aps",
	"hf", "ehf", "kk", "yk", "gk", "bhd", "sdn", "tbk", "sro", "spol", "zoo", "sp",
	"kft", "zrt", "nyrt", "rt", "doo", "dd", "ad", "ead", "ood", "sc", "ae", "epe", "ike",
	"sp zoo", "sa de cv", "de cv", "s de rl", "de rl",
	"holding", "holdings", "aktiengesellschaft", "aktiebolag", "aktieselskab", "osakeyhtio",
	"kabushiki kaisha", "kabushikikaisha", "naamloze vennootschap", "besloten vennootschap",
	"societe anonyme", "societa per azioni", "gesellschaft mit beschrankter haftung",
	"limited liability company", "limited liability partnership",
	NULL
};

/* The most words of one legal form ("gesellschaft mit beschrankter haftung"). */
#define FORM_MAX_WORDS 4

static const char *const leading_forms[] = {
	"the", "pt", "ooo", "zao", "oao", "pao", "tov", NULL
};

static bool
in_list(const char *const *list, const char *s, size_t len)
{
	for (; *list; list++)
		if (strlen(*list) == len && memcmp(*list, s, len) == 0)
			return true;
	return false;
}

static inline bool
one_letter(const char *s, size_t len)
{
	return len == 1 && s[0] >= 'a' && s[0] <= 'z';
}

/*
 * Steps 1 and 2: copy the words single-spaced, one-letter words of a run
 * joined, and drop a leading "the" (or a first-position legal form) when a
 * word follows.  Returns the length written.
 */
static size_t
join_letters(const char *s, size_t len, char *out)
{
	size_t		o = 0;
	size_t		i = 0;
	bool		prev_letter = false;

	while (i < len)
	{
		size_t		start,
					wl;

		while (i < len && s[i] == ' ')
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && s[i] != ' ')
			i++;
		wl = i - start;
		if (o > 0 && !(prev_letter && one_letter(s + start, wl)))
			out[o++] = ' ';
		memcpy(out + o, s + start, wl);
		o += wl;
		prev_letter = one_letter(s + start, wl);
	}
	out[o] = '\0';
	/* a first word such as "the" goes when another follows */
	{
		const char *sp = memchr(out, ' ', o);

		if (sp && in_list(leading_forms, out, (size_t) (sp - out)))
		{
			size_t		cut = (size_t) (sp - out) + 1;

			memmove(out, out + cut, o - cut);
			o -= cut;
			out[o] = '\0';
		}
	}
	return o;
}

size_t
cdm_org_name_norm_folded(const char *s, size_t len, char *out)
{
	size_t		n = join_letters(s, len, out);

	/*
	 * Step 3, from the last word backwards: a word start j "reaches the end"
	 * when some legal form spans words j.. up to the end or up to another
	 * start that reaches it.  The earliest such start after the first word
	 * is where the name ends.  ends[] keeps the starts of the last few words
	 * seen (nearest first), reach[] whether each reaches the end; a form has
	 * at most FORM_MAX_WORDS words, so once that many starts in a row do
	 * not reach, no earlier one can.
	 */
	size_t		starts[FORM_MAX_WORDS + 1];
	bool		reach[FORM_MAX_WORDS + 1];
	int			seen = 0;
	int			misses = 0;
	size_t		cut = n;
	size_t		pos = n;

	while (pos > 0 && misses < FORM_MAX_WORDS)
	{
		size_t		start = pos;
		bool		r = false;

		while (start > 0 && out[start - 1] != ' ')
			start--;
		if (start == 0)
			break;				/* the first word always stays */
		/* shift in this word: index 0 is the nearest */
		for (int k = (seen < FORM_MAX_WORDS + 1 ? seen : FORM_MAX_WORDS); k > 0; k--)
		{
			starts[k] = starts[k - 1];
			reach[k] = reach[k - 1];
		}
		if (seen < FORM_MAX_WORDS + 1)
			seen++;
		starts[0] = start;
		/* words start.. through the k-th nearest word's end */
		for (int k = 1; k <= FORM_MAX_WORDS && k <= seen && !r; k++)
		{
			/* k < seen always once words were dropped (seen is then 5) */
			size_t		end = (k < seen) ? starts[k] - 1 : n;
			bool		tail_ok = (k < seen) ? reach[k] : true;

			if (tail_ok && in_list(cdm_org_legal_forms, out + start, end - start))
				r = true;
		}
		reach[0] = r;
		if (r)
		{
			cut = start - 1;	/* drop the space before it too */
			misses = 0;
		}
		else
			misses++;
		pos = start - 1;
	}
	out[cut] = '\0';
	return cut;
}
