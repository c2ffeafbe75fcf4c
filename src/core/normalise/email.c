/*
 * email.c - e-mail address validation and normalisation (see email.h).
 *
 * The address is cut at its one '@'; each part is checked and normalised
 * on its own, into fixed buffers (a valid address is short), then the
 * provider table rewrites the local part of the few providers that say how
 * their addresses are interpreted.
 */
#include "email.h"

#include "utf8.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uidna.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

/* ------------------------------------------------------------ providers */

typedef struct EmailProvider
{
	const char *domain;
	const char *canonical;		/* the domain to report; NULL: itself */
	bool		drop_dots;		/* dots in the local part are ignored */
	bool		drop_tag;		/* '+' starts a sub-address tag */
} EmailProvider;

/*
 * The one place that knows how providers read their addresses.  Only what
 * the provider documents (or, for Apple, what cannot merge two mailboxes):
 *
 *  Google - Gmail Help "Dots don't matter in Gmail addresses" (dots are
 *    ignored) and "Create task-specific email addresses" (user+anything is
 *    delivered to user).  Gmail Help also says googlemail.com (the name
 *    Gmail used in Germany and the UK) and gmail.com are the same account,
 *    so googlemail.com is reported as gmail.com.
 *  Microsoft - Microsoft Learn "Plus addressing in Exchange Online"; the
 *    consumer Outlook.com domains have delivered plus addresses since 2013.
 *  Apple - Apple Support "About your @icloud.com, @me.com, and @mac.com
 *    email addresses": a mac.com address comes with the same name at me.com
 *    and icloud.com, a me.com address with the same name at icloud.com, so
 *    both are reported as icloud.com.  Apple has no help page on plus
 *    addresses, but iCloud Mail delivers user+tag to user and '+' is not
 *    allowed in iCloud names, so dropping the tag cannot merge two
 *    mailboxes.
 *  Fastmail - Fastmail Help "Plus addressing and subdomain addressing"
 *    (subdomain addresses, tag@user.fastmail.com, are left alone).
 *  Proton - Proton Support "Types of email addresses and aliases"
 *    (+aliases work on every Proton address; the domains are not
 *    interchangeable, so each stays itself).
 *
 * Yahoo is missing on purpose: its disposable addresses are base-keyword
 * with a base the user picks (Yahoo Help "Create and manage disposable
 * email addresses"), so neither '-' nor '+' can be cut safely.  Country
 * domains (hotmail.co.uk, ...) are not listed; add rows here.
 */
static const EmailProvider providers[] = {
	{"gmail.com", NULL, true, true},
	{"googlemail.com", "gmail.com", true, true},
	{"outlook.com", NULL, false, true},
	{"hotmail.com", NULL, false, true},
	{"live.com", NULL, false, true},
	{"msn.com", NULL, false, true},
	{"icloud.com", NULL, false, true},
	{"me.com", "icloud.com", false, true},
	{"mac.com", "icloud.com", false, true},
	{"fastmail.com", NULL, false, true},
	{"fastmail.fm", NULL, false, true},
	{"proton.me", NULL, false, true},
	{"protonmail.com", NULL, false, true},
	{"protonmail.ch", NULL, false, true},
	{"pm.me", NULL, false, true},
};

static const EmailProvider *
find_provider(const char *domain, size_t len)
{
	for (size_t i = 0; i < sizeof(providers) / sizeof(providers[0]); i++)
		if (strlen(providers[i].domain) == len &&
			memcmp(providers[i].domain, domain, len) == 0)
			return &providers[i];
	return NULL;
}

/* Apply a provider's rules to the local part in place; returns its new length. */
static size_t
apply_provider(const EmailProvider *p, char *local, size_t len)
{
	size_t		k = 0;

	for (size_t i = 0; i < len; i++)
	{
		if (p->drop_tag && local[i] == '+')
			break;
		if (p->drop_dots && local[i] == '.')
			continue;
		local[k++] = local[i];
	}
	return k;
}

/* ------------------------------------------------------------ ICU objects */

/*
 * Created once per process and kept (like the transliterators): ICU
 * objects outside any PostgreSQL memory context, on purpose.
 */
static UIDNA *uts46;
static const UNormalizer2 *nfc;

static bool
icu_ready(const char **err)
{
	UErrorCode	status = U_ZERO_ERROR;

	if (uts46 && nfc)
		return true;
	if (!uts46)
	{
		/*
		 * Non-transitional both ways (IDNA2008: faß.de keeps its ß), STD3
		 * host-name rules, and the Bidi and joiner checks that IDNA2008
		 * requires of a registrable name.
		 */
		uts46 = uidna_openUTS46(UIDNA_USE_STD3_RULES | UIDNA_CHECK_BIDI |
								UIDNA_CHECK_CONTEXTJ |
								UIDNA_NONTRANSITIONAL_TO_ASCII |
								UIDNA_NONTRANSITIONAL_TO_UNICODE, &status);
		if (U_FAILURE(status))
		{
			uts46 = NULL;
			*err = u_errorName(status);
			return false;
		}
	}
	nfc = unorm2_getNFCInstance(&status);
	if (U_FAILURE(status))
	{
		nfc = NULL;
		*err = u_errorName(status);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------ characters */

/*
 * RFC 5322 atext, ASCII part: letters, digits and ! # $ % & ' * + - / = ?
 * ^ _ ` { | } ~ (no dot: dots are checked as separators).
 */
static bool
is_atext(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

/* Non-ASCII characters allowed anywhere: letters, marks (not enclosing), digits. */
static bool
is_word_char(UChar32 c)
{
	return (U_GET_GC_MASK(c) &
			(U_GC_L_MASK | U_GC_MN_MASK | U_GC_MC_MASK | U_GC_ND_MASK)) != 0;
}

/*
 * Length of the white space (Unicode White_Space, plus U+200B ZERO WIDTH
 * SPACE and U+FEFF BYTE ORDER MARK, which copies from documents and CSV
 * exports leave at the edges) that starts s, 0 if none.
 */
static size_t
space_at(const unsigned char *s, size_t len)
{
	if (len >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
		return 1;
	if (len >= 2 && s[0] == 0xC2 && (s[1] == 0x85 || s[1] == 0xA0))
		return 2;				/* NEL, NO-BREAK SPACE */
	if (len < 3)
		return 0;
	if (s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80)
		return 3;				/* OGHAM SPACE MARK */
	if (s[0] == 0xE2 && s[1] == 0x80 &&
		(s[2] <= 0x8B || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
		return 3;				/* U+2000..200B, LS, PS, NNBSP */
	if (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
		return 3;				/* MEDIUM MATHEMATICAL SPACE */
	if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;				/* IDEOGRAPHIC SPACE */
	if (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		return 3;				/* BOM */
	return 0;
}

/*
 * Length of the white space that ends s.  UTF-8 is self-synchronising: a
 * suffix that is a whole sequence of one of these characters starts at a
 * character boundary.
 */
static size_t
space_before(const unsigned char *s, size_t len)
{
	for (size_t k = 1; k <= 3 && k <= len; k++)
		if (space_at(s + len - k, k) == k)
			return k;
	return 0;
}

static void
trim(const char **s, size_t *len)
{
	const unsigned char *p = (const unsigned char *) *s;
	size_t		n = *len;
	size_t		k;
	size_t		steps = 0;

	while (n > 0 && (k = space_at(p, n)) > 0)
	{
		p += k;
		n -= k;
		if (++steps % CDM_INTERRUPT_STRIDE == 0)
			CDM_CHECK_INTERRUPTS();
	}
	while (n > 0 && (k = space_before(p, n)) > 0)
	{
		n -= k;
		if (++steps % CDM_INTERRUPT_STRIDE == 0)
			CDM_CHECK_INTERRUPTS();
	}
	*s = (const char *) p;
	*len = n;
}

/* ------------------------------------------------------------ local part */

/*
 * Lower-case (root locale, full mappings) and NFC a non-ASCII local part
 * into out (CDM_EMAIL_LOCAL_MAX bytes).  Every buffer is sized so that an
 * overflow already means a result longer than 64 octets: invalid.
 */
static ptrdiff_t
local_icu(const char *s, size_t len, char *out, const char **err)
{
	UChar		in16[CDM_EMAIL_INPUT_MAX];
	UChar		lower[4 * CDM_EMAIL_LOCAL_MAX];
	UChar		composed[4 * CDM_EMAIL_LOCAL_MAX];
	int32_t		n16;
	int32_t		n;
	UErrorCode	status = U_ZERO_ERROR;

	if (!icu_ready(err))
		return CDM_EMAIL_ICU_ERROR;
	u_strFromUTF8(in16, CDM_EMAIL_INPUT_MAX, &n16, s, (int32_t) len, &status);
	if (U_FAILURE(status))
		return CDM_EMAIL_INVALID;
	n = u_strToLower(lower, 4 * CDM_EMAIL_LOCAL_MAX, in16, n16, "", &status);
	if (U_FAILURE(status) || n >= 4 * CDM_EMAIL_LOCAL_MAX)
		return CDM_EMAIL_INVALID;
	n = unorm2_normalize(nfc, lower, n, composed, 4 * CDM_EMAIL_LOCAL_MAX, &status);
	if (U_FAILURE(status) || n >= 4 * CDM_EMAIL_LOCAL_MAX)
		return CDM_EMAIL_INVALID;
	u_strToUTF8(out, CDM_EMAIL_LOCAL_MAX, &n, composed, n, &status);
	/* a result of exactly 64 octets reports "not terminated", which is fine */
	if (U_FAILURE(status) || n > CDM_EMAIL_LOCAL_MAX)
		return CDM_EMAIL_INVALID;
	return n;
}

/*
 * Check the local part (an RFC 5322 dot-atom, non-ASCII letters allowed)
 * and write it lower-cased into out (CDM_EMAIL_LOCAL_MAX bytes).
 */
static ptrdiff_t
local_norm(const char *s, size_t len, char *out, const char **err)
{
	bool		ascii = true;
	size_t		i = 0;

	if (len == 0 || s[0] == '.' || s[len - 1] == '.')
		return CDM_EMAIL_INVALID;
	while (i < len)
	{
		unsigned char b = (unsigned char) s[i];
		UChar32		c;

		if (b == '.')
		{
			if (s[i + 1] == '.')	/* safe: s[len - 1] is not a dot */
				return CDM_EMAIL_INVALID;
			i++;
			continue;
		}
		if (b < 0x80)
		{
			if (!is_atext(b))
				return CDM_EMAIL_INVALID;
			i++;
			continue;
		}
		ascii = false;
		U8_NEXT((const uint8_t *) s, i, len, c);
		if (c < 0 || !is_word_char(c))
			return CDM_EMAIL_INVALID;
	}
	if (!ascii)
		return local_icu(s, len, out, err);
	if (len > CDM_EMAIL_LOCAL_MAX)
		return CDM_EMAIL_INVALID;
	for (i = 0; i < len; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] + ('a' - 'A') : s[i];
	return (ptrdiff_t) len;
}

/* ------------------------------------------------------------ domain */

/* Longest domain we keep: a longer one cannot fit in a 254-octet address. */
#define DOMAIN_BUF 256

/* Longest domain in ASCII form (UTS #46 VerifyDnsLength, RFC 1035). */
#define DOMAIN_MAX 253
#define LABEL_MAX 63

static bool
starts_ace(const char *label, size_t len)
{
	return len >= 4 && (label[0] | 0x20) == 'x' && (label[1] | 0x20) == 'n' &&
		label[2] == '-' && label[3] == '-';
}

/* True if some label of the ASCII domain d starts with xn-- (any case). */
static bool
has_ace_label(const char *d, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((i == 0 || d[i - 1] == '.') && starts_ace(d + i, len - i))
			return true;
	return false;
}

/* One LDH label, as UTS #46 with STD3 rules and CheckHyphens sees it. */
static bool
ldh_label_ok(const char *l, size_t n)
{
	if (n == 0 || n > LABEL_MAX || l[0] == '-' || l[n - 1] == '-')
		return false;
	if (n >= 4 && l[2] == '-' && l[3] == '-')
		return false;			/* reserved for ACE prefixes (ICU's HYPHEN_3_4) */
	for (size_t i = 0; i < n; i++)
		if (!((l[i] >= 'a' && l[i] <= 'z') || (l[i] >= '0' && l[i] <= '9') || l[i] == '-'))
			return false;
	return true;
}

/*
 * The fast path: an ASCII domain without A-labels, lower-cased and checked
 * with the LDH rules UTS #46 applies to it.  An empty label anywhere is
 * refused here; ICU allows a final one (the root), which domain_checks()
 * refuses afterwards, so both paths agree.
 */
static ptrdiff_t
domain_ascii(const char *d, size_t len, char *out)
{
	size_t		start = 0;

	if (len == 0 || len > DOMAIN_MAX)
		return CDM_EMAIL_INVALID;
	for (size_t i = 0; i < len; i++)
		out[i] = (d[i] >= 'A' && d[i] <= 'Z') ? d[i] + ('a' - 'A') : d[i];
	for (size_t i = 0; i <= len; i++)
	{
		if (i < len && out[i] != '.')
			continue;
		if (!ldh_label_ok(out + start, i - start))
			return CDM_EMAIL_INVALID;
		start = i + 1;
	}
	return (ptrdiff_t) len;
}

/*
 * ICU: ToUnicode gives the form we return (NFC, lower-case, A-labels
 * decoded); ToASCII of that checks the DNS lengths, which ToUnicode does
 * not, and gives the A-label length for the 254-octet limit.
 */
static ptrdiff_t
domain_icu(const char *d, size_t len, char *out, size_t *ascii_len,
		   const char **err)
{
	char		ace[DOMAIN_BUF];
	UIDNAInfo	info = UIDNA_INFO_INITIALIZER;
	UErrorCode	status = U_ZERO_ERROR;
	int32_t		n;
	int32_t		a;
	int32_t		i = 0;

	if (!icu_ready(err))
		return CDM_EMAIL_ICU_ERROR;
	n = uidna_nameToUnicodeUTF8(uts46, d, (int32_t) len, out, DOMAIN_BUF, &info, &status);
	if (U_FAILURE(status) || info.errors != 0 || n >= DOMAIN_BUF)
		return CDM_EMAIL_INVALID;
	a = uidna_nameToASCII_UTF8(uts46, out, n, ace, DOMAIN_BUF, &info, &status);
	if (U_FAILURE(status) || info.errors != 0 || a >= DOMAIN_BUF)
		return CDM_EMAIL_INVALID;
	/* IDNA2008 has no symbols (UTS #46 lets i❤.ws through) */
	while (i < n)
	{
		UChar32		c;

		U8_NEXT((const uint8_t *) out, i, n, c);
		if (c < 0 || (c >= 0x80 && !is_word_char(c)))
			return CDM_EMAIL_INVALID;
	}
	*ascii_len = (size_t) a;
	return n;
}

/* What both paths require of the result: no empty label, two labels, a TLD that is not a number. */
static bool
domain_checks(const char *d, size_t len)
{
	size_t		last = 0;
	size_t		dots = 0;
	bool		digits = true;

	if (len == 0 || d[0] == '.' || d[len - 1] == '.')
		return false;
	for (size_t i = 0; i < len; i++)
		if (d[i] == '.')
		{
			if (d[i + 1] == '.')
				return false;
			dots++;
			last = i + 1;
		}
	for (size_t i = last; i < len; i++)
		digits &= d[i] >= '0' && d[i] <= '9';
	return dots >= 1 && !digits;
}

/* Normalise the domain into out (DOMAIN_BUF bytes); *ascii_len gets its A-label length. */
static ptrdiff_t
domain_norm(const char *d, size_t len, bool force_icu, char *out,
			size_t *ascii_len, const char **err)
{
	ptrdiff_t	n;

	if (len == 0 || len > CDM_EMAIL_INPUT_MAX)
		return CDM_EMAIL_INVALID;
	if (!force_icu && cdm_is_ascii(d, len) && !has_ace_label(d, len))
	{
		n = domain_ascii(d, len, out);
		*ascii_len = n > 0 ? (size_t) n : 0;
	}
	else
		n = domain_icu(d, len, out, ascii_len, err);
	if (n < 0)
		return n;
	return domain_checks(out, (size_t) n) ? n : CDM_EMAIL_INVALID;
}

ptrdiff_t
cdm_email_domain(const char *d, size_t len, bool force_icu, char *out,
				 size_t cap, const char **err)
{
	char		buf[DOMAIN_BUF];
	size_t		ascii_len;
	ptrdiff_t	n;

	*err = NULL;
	n = domain_norm(d, len, force_icu, buf, &ascii_len, err);
	if (n < 0 || (size_t) n > cap)
		return n;
	memcpy(out, buf, (size_t) n);
	return n;
}

/* ------------------------------------------------------------ address */

ptrdiff_t
cdm_email_norm(const char *s, size_t len, char *out, size_t cap,
			   const char **err)
{
	char		local[CDM_EMAIL_LOCAL_MAX];
	char		domain[DOMAIN_BUF];
	const char *at;
	const char *dom;
	size_t		dom_len;
	size_t		ascii_len;
	ptrdiff_t	llen;
	ptrdiff_t	dlen;
	const EmailProvider *p;

	*err = NULL;
	trim(&s, &len);
	if (len == 0 || len > CDM_EMAIL_INPUT_MAX)
		return CDM_EMAIL_INVALID;
	at = memchr(s, '@', len);
	if (!at)
		return CDM_EMAIL_INVALID;
	dom = at + 1;
	dom_len = len - (size_t) (dom - s);
	if (memchr(dom, '@', dom_len))
		return CDM_EMAIL_INVALID;	/* '@' is only legal quoted, and we take no quotes */
	llen = local_norm(s, (size_t) (at - s), local, err);
	if (llen < 0)
		return llen;
	dlen = domain_norm(dom, dom_len, false, domain, &ascii_len, err);
	if (dlen < 0)
		return dlen;
	/* RFC 5321 path limit, whichever form of the domain is sent */
	if ((size_t) llen + 1 + ((size_t) dlen > ascii_len ? (size_t) dlen : ascii_len) > CDM_EMAIL_MAX)
		return CDM_EMAIL_INVALID;

	p = find_provider(domain, (size_t) dlen);
	if (p)
	{
		llen = (ptrdiff_t) apply_provider(p, local, (size_t) llen);

		/*
		 * No mailbox left ('+tag@gmail.com'), or one ending in the dot that
		 * stood before the tag ('x.+tag@outlook.com' -> 'x.'): not a
		 * dot-atom, so no provider hands it out, and the result would not
		 * be an address (nor normalise to itself).
		 */
		if (llen == 0 || local[llen - 1] == '.')
			return CDM_EMAIL_INVALID;
		if (p->canonical)
		{
			dlen = (ptrdiff_t) strlen(p->canonical);
			memcpy(domain, p->canonical, (size_t) dlen);
		}
	}

	if ((size_t) (llen + 1 + dlen) > cap)
		return llen + 1 + dlen;
	memcpy(out, local, (size_t) llen);
	out[llen] = '@';
	memcpy(out + llen + 1, domain, (size_t) dlen);
	return llen + 1 + dlen;
}

int
cdm_email_valid(const char *s, size_t len, const char **err)
{
	char		buf[CDM_EMAIL_MAX];
	ptrdiff_t	n = cdm_email_norm(s, len, buf, sizeof(buf), err);

	if (n == CDM_EMAIL_ICU_ERROR)
		return CDM_EMAIL_ICU_ERROR;
	return n >= 0;
}
