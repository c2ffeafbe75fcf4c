/*
 * name_parts.c - tokens, titles, suffixes, particles: the rules of
 * name_parts.h.
 */
#include "name_parts.h"

#include <string.h>

#include <unicode/uchar.h>

#include "fold.h"

/* ------------------------------------------------------------ word lists */

/* Titles, compared without dots or spaces ("Dr." = "dr", "Rev'd" = "revd"). */
static const char *const titles[] = {
	"capt", "col", "dame", "dr", "fr", "frau", "herr", "hon", "lady", "lord",
	"lt", "madam", "madame", "maj", "miss", "mlle", "mme", "mr", "mrs", "ms",
	"mx", "prof", "rabbi", "rev", "revd", "sgt", "sir", NULL
};

/* Suffixes: generational ones tell a father from his son. */
static const char *const suffixes[] = {
	"dds", "esq", "ii", "iii", "iv", "jnr", "jr", "md", "phd", "snr", "sr",
	"v", NULL
};

/* Roman numerals need a given and a family name besides ("John V" is not). */
static const char *const romans[] = {"ii", "iii", "iv", "v", NULL};

/* Family-name particles: they join the family name that follows them. */
static const char *const particles[] = {
	"al", "bin", "bint", "bn", "da", "das", "de", "degli", "dei", "del", "della",
	"den", "der", "di", "do", "dos", "du", "el", "ibn", "la", "le", "les",
	"lo", "mac", "mc", "st", "ste", "ten", "ter", "van", "von", "zu", NULL
};

static bool
in_list(const char *const *list, const char *w)
{
	if (w[0] == '\0')
		return false;
	for (; *list; list++)
	{
		if (strcmp(*list, w) == 0)
			return true;
	}
	return false;
}

void
cdm_name_token_word(const CdmName *name, size_t k, char out[16])
{
	const CdmNameToken *t = &name->tok[k];
	size_t		n = 0;

	for (uint32_t i = 0; i < t->len; i++)
	{
		cdm_char	c = name->buf[t->off + i];

		if (c == ' ')
			continue;
		if (c >= 128 || n >= 15)
		{
			n = 0;
			break;
		}
		out[n++] = (char) c;
	}
	out[n] = '\0';
}

/* ------------------------------------------------------------ tokens */

static bool
is_comma(cdm_char c)
{
	return c == ',' || c == 0xFF0C || c == 0x060C || c == 0x3001 ||
		c == 0xFE50 || c == 0xFE51 || c == 0xFF64;
}

static bool
is_space(cdm_char c)
{
	if (c < 128)
		return c == ' ' || (c >= '\t' && c <= '\r');
	return u_isUWhiteSpace((UChar32) c);
}

/* Take out the spaces folding put inside a title or suffix ("ph d"). */
static void
compact(cdm_char *buf, CdmNameToken *t)
{
	uint32_t	k = 0;

	for (uint32_t i = 0; i < t->len; i++)
	{
		if (buf[t->off + i] != ' ')
			buf[t->off + k++] = buf[t->off + i];
	}
	t->len = k;
}

/* ------------------------------------------------------------ roles */

typedef struct Parse
{
	CdmName		name;
	CdmNameToken *tok;
	cdm_char   *buf;
} Parse;

static bool
token_in(Parse *p, size_t k, const char *const *list)
{
	char		w[16];

	cdm_name_token_word(&p->name, k, w);
	return in_list(list, w);
}

static void
set_role(Parse *p, size_t k, CdmNameRole role)
{
	p->tok[k].role = (uint8_t) role;
	if (role == CDM_NAME_TITLE || role == CDM_NAME_SUFFIX)
		compact(p->buf, &p->tok[k]);
}

/*
 * Titles off the front of tokens [*lo, *hi), suffixes off the back, each
 * only while a token is left.  Roman numerals need min_roman tokens left;
 * "v" is a suffix only when allow_v (after a comma it is a middle initial).
 * Returns whether a title was taken.
 */
static bool
strip_ends(Parse *p, size_t *lo, size_t *hi, size_t min_roman, bool allow_v)
{
	bool		title = false;

	while (*hi - *lo > 1 && token_in(p, *lo, titles))
	{
		set_role(p, (*lo)++, CDM_NAME_TITLE);
		title = true;
	}
	while (*hi - *lo > 1 && token_in(p, *hi - 1, suffixes))
	{
		char		w[16];

		cdm_name_token_word(&p->name, *hi - 1, w);
		if (in_list(romans, w) && (*hi - *lo - 1 < min_roman ||
								   (!allow_v && strcmp(w, "v") == 0)))
			break;
		set_role(p, --(*hi), CDM_NAME_SUFFIX);
	}
	return title;
}

/* "Title Given Middle... Particles Family Suffix" */
static void
plain_form(Parse *p, size_t lo, size_t hi)
{
	bool		title = strip_ends(p, &lo, &hi, 2, true);
	size_t		fam;

	if (hi - lo == 1)
	{
		p->tok[lo].role = title ? CDM_NAME_FAMILY : CDM_NAME_GIVEN;
		return;
	}
	fam = hi - 1;
	while (fam - 1 > lo && token_in(p, fam - 1, particles))
		p->tok[--fam].particle = true;
	p->tok[lo].role = CDM_NAME_GIVEN;
	for (size_t k = lo + 1; k < fam; k++)
		p->tok[k].role = CDM_NAME_MIDDLE;
	for (size_t k = fam; k < hi; k++)
		p->tok[k].role = CDM_NAME_FAMILY;
}

/* "Family, Given Middle..." with groups [0] = family, [1] = given, more = middle. */
static void
comma_form(Parse *p, size_t ntok)
{
	size_t		lo = 0,
				hi = 0,
				end;

	while (hi < ntok && p->tok[hi].group == 0)
		hi++;
	end = hi;
	strip_ends(p, &lo, &hi, 1, true);
	for (size_t k = lo; k < hi; k++)
	{
		p->tok[k].role = CDM_NAME_FAMILY;
		p->tok[k].particle = k + 1 < hi && token_in(p, k, particles);
	}

	lo = hi = end;
	while (hi < ntok && p->tok[hi].group == 1)
		hi++;
	strip_ends(p, &lo, &hi, 1, false);
	for (size_t k = lo; k < hi; k++)
		p->tok[k].role = k == lo ? CDM_NAME_GIVEN : CDM_NAME_MIDDLE;

	/* past the given group (its suffixes are set), then anything after a second comma */
	while (hi < ntok && p->tok[hi].group == 1)
		hi++;
	for (size_t k = hi; k < ntok; k++)
	{
		if (token_in(p, k, titles))
			set_role(p, k, CDM_NAME_TITLE);
		else if (token_in(p, k, suffixes))
			set_role(p, k, CDM_NAME_SUFFIX);
		else
			p->tok[k].role = CDM_NAME_MIDDLE;
	}
}

static void
assign_roles(Parse *p, size_t ntok)
{
	uint32_t	groups;

	if (ntok == 0)
		return;
	groups = p->tok[ntok - 1].group + 1;

	/* trailing comma groups of suffixes only: "Smith, John, Jr." */
	while (groups > 1)
	{
		size_t		first = ntok;
		bool		all = true;

		while (first > 0 && p->tok[first - 1].group == groups - 1)
			first--;
		for (size_t k = first; k < ntok && all; k++)
			all = token_in(p, k, suffixes);
		if (!all)
			break;
		for (size_t k = first; k < ntok; k++)
			set_role(p, k, CDM_NAME_SUFFIX);
		ntok = first;
		groups--;
	}
	if (groups == 1)
		plain_form(p, 0, ntok);
	else
		comma_form(p, ntok);
}

/* ------------------------------------------------------------ driver */

ptrdiff_t
cdm_name_parse(const cdm_char *in, size_t n, cdm_char *buf, size_t cap,
			   CdmNameToken *tok, size_t *ntok, const char **err)
{
	size_t		pos = 0;
	size_t		nt = 0;
	uint32_t	group = 0;
	bool		group_used = false;
	size_t		i = 0;
	Parse		p;

	*err = NULL;
	while (i < n)
	{
		size_t		start;
		ptrdiff_t	m;

		if (is_comma(in[i]))
		{
			/* empty groups (",,", a trailing comma) do not count */
			if (group_used)
				group++;
			group_used = false;
			i++;
			continue;
		}
		if (is_space(in[i]))
		{
			i++;
			continue;
		}
		start = i;
		while (i < n && !is_comma(in[i]) && !is_space(in[i]))
			i++;
		m = cdm_fold(in + start, i - start, pos <= cap ? buf + pos : buf,
					 pos <= cap ? cap - pos : 0, err);
		if (m < 0)
			return -1;
		if (m == 0)
			continue;			/* punctuation or symbols only */
		if (pos + (size_t) m <= cap)
		{
			tok[nt].off = (uint32_t) pos;
			tok[nt].len = (uint32_t) m;
			tok[nt].group = group;
			tok[nt].role = CDM_NAME_GIVEN;
			tok[nt].particle = false;
		}
		nt++;
		group_used = true;
		pos += (size_t) m;
		if ((nt & 63) == 0)
			CDM_CHECK_INTERRUPTS();
	}
	*ntok = nt;
	if (pos > cap)
		return (ptrdiff_t) pos;

	p.name.buf = buf;
	p.name.tok = tok;
	p.name.ntok = nt;
	p.tok = tok;
	p.buf = buf;
	assign_roles(&p, nt);
	return (ptrdiff_t) pos;
}

size_t
cdm_name_part(const CdmName *name, CdmNameRole role, cdm_char *out)
{
	size_t		n = 0;

	for (size_t k = 0; k < name->ntok; k++)
	{
		const CdmNameToken *t = &name->tok[k];

		if (t->role != role || t->len == 0)
			continue;
		if (n > 0)
			out[n++] = ' ';
		memcpy(out + n, name->buf + t->off, t->len * sizeof(cdm_char));
		n += t->len;
	}
	return n;
}
