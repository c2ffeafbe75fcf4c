/*
 * key_tokens.c - what each key builder puts in a key.
 *
 * Every token is a class (key.h) and a 27-bit hash of (kind, content); kinds keep a bigram
 * from colliding with a phonetic code of the same letters.  The hashes are
 * fixed (FNV-1a 64 or an exact packing, then the splitmix64 finaliser), so
 * keys are portable.
 */
#include "key.h"

#include <string.h>

#include "dmetaphone.h"
#include "hash.h"
#include "nickname.h"

/* Token kinds (part of the hash input; never reuse a number). */
enum
{
	KIND_GRAM = 1,				/* padded bigram of a word */
	KIND_PHONETIC = 2,			/* Double Metaphone code, primary or alternate */
	KIND_WORD = 3,				/* a whole word (names: its nickname root) */
	KIND_EMAIL = 4,				/* the whole normalised address */
	KIND_EMAIL_LOCAL = 5,		/* local part without separators */
	KIND_EMAIL_DOMAIN = 6,
	KIND_PHONE = 7,				/* all digits */
	KIND_PHONE_LAST7 = 8,		/* subscriber number without country/area code */
	KIND_PHONE_TRIGRAM = 9,
	KIND_INITIAL = 10			/* a name word's first letter */
};

/* Padding symbol of bigrams: not a code point. */
#define PAD 0x110000u

/* The top 29 bits of the finaliser (the key keeps 27 of them). */
static inline uint32_t
finish(uint64_t x)
{
	return (uint32_t) (cdm_mix64(x) >> 35);
}

/* A bigram packed exactly (kind 6 bits, two 21-bit symbols) before hashing. */
static inline uint32_t
gram_hash(unsigned kind, cdm_char a, cdm_char b)
{
	return finish(((uint64_t) kind << 58) | ((uint64_t) a << 21) | (uint64_t) b);
}

static inline uint64_t
fnv_start(unsigned kind)
{
	return cdm_fnv_step(CDM_FNV_OFFSET, kind);
}

static uint32_t
cps_hash(unsigned kind, const cdm_char *s, size_t n)
{
	uint64_t	h = fnv_start(kind);

	for (size_t i = 0; i < n; i++)
		h = cdm_fnv_step(h, s[i]);
	return finish(h);
}

/* Bytes hash as code points of the same values: ASCII words agree both ways. */
static uint32_t
bytes_hash(unsigned kind, const char *s, size_t n)
{
	uint64_t	h = fnv_start(kind);

	for (size_t i = 0; i < n; i++)
		h = cdm_fnv_step(h, (unsigned char) s[i]);
	return finish(h);
}

static void
add_bigrams(CdmKeyBuilder *b, const cdm_char *w, size_t n)
{
	cdm_char	prev = PAD;

	for (size_t i = 0; i < n; i++)
	{
		cdm_key_add(b, CDM_KEY_GRAM, gram_hash(KIND_GRAM, prev, w[i]));
		prev = w[i];
	}
	cdm_key_add(b, CDM_KEY_GRAM, gram_hash(KIND_GRAM, prev, PAD));
}

static void
add_byte_bigrams(CdmKeyBuilder *b, const char *w, size_t n)
{
	cdm_char	prev = PAD;

	for (size_t i = 0; i < n; i++)
	{
		cdm_key_add(b, CDM_KEY_GRAM, gram_hash(KIND_GRAM, prev, (unsigned char) w[i]));
		prev = (unsigned char) w[i];
	}
	cdm_key_add(b, CDM_KEY_GRAM, gram_hash(KIND_GRAM, prev, PAD));
}

static void
add_phonetic(CdmKeyBuilder *b, const cdm_char *w, size_t n)
{
	char		primary[CDM_DMETAPHONE_MAXLEN + 1];
	char		alternate[CDM_DMETAPHONE_MAXLEN + 1];

	cdm_dmetaphone(w, n, primary, alternate);
	if (primary[0])
		cdm_key_add(b, CDM_KEY_CODE, bytes_hash(KIND_PHONETIC, primary, strlen(primary)));
	if (alternate[0] && strcmp(primary, alternate) != 0)
		cdm_key_add(b, CDM_KEY_CODE, bytes_hash(KIND_PHONETIC, alternate, strlen(alternate)));
}

/* The nickname root of an ASCII word, or NULL (the table is ASCII). */
static const char *
word_root(const cdm_char *w, size_t n)
{
	char		ascii[CDM_NICKNAME_MAX_LEN];

	if (n > CDM_NICKNAME_MAX_LEN)
		return NULL;
	for (size_t i = 0; i < n; i++)
	{
		if (w[i] >= 0x80)
			return NULL;
		ascii[i] = (char) w[i];
	}
	return cdm_nickname_root(ascii, n);
}

static void
name_word(CdmKeyBuilder *b, const cdm_char *w, size_t n)
{
	const char *root = word_root(w, n);
	cdm_char	rcp[CDM_NICKNAME_MAX_LEN];
	size_t		rlen = root ? strlen(root) : 0;

	/*
	 * An initial ("J.") is the start of a given name: it keeps only the
	 * start bigram and an initial token, which every word of its letter also
	 * carries, so J Smith meets John Smith (its end bigram "j$" and codes
	 * would meet nothing in john).
	 */
	cdm_key_add(b, CDM_KEY_WORD, cps_hash(KIND_INITIAL, w, 1));
	if (n == 1)
	{
		cdm_key_add(b, CDM_KEY_GRAM, gram_hash(KIND_GRAM, PAD, w[0]));
		return;
	}
	add_bigrams(b, w, n);
	/* a word token only for known names: for others it duplicates the bigrams */
	if (root == NULL || rlen > CDM_NICKNAME_MAX_LEN)
	{
		add_phonetic(b, w, n);
		return;
	}
	for (size_t i = 0; i < rlen; i++)
		rcp[i] = (unsigned char) root[i];
	if (rlen == n && memcmp(rcp, w, n * sizeof(cdm_char)) == 0)
		add_phonetic(b, w, n);
	else
	{
		/*
		 * A nickname: the formal name's codes and initial instead of its
		 * own codes, so Bob meets Robert on RPRT and r
		 */
		add_phonetic(b, rcp, rlen);
		cdm_key_add(b, CDM_KEY_WORD, cps_hash(KIND_INITIAL, rcp, 1));
	}
	cdm_key_add(b, CDM_KEY_WORD, cps_hash(KIND_WORD, rcp, rlen));
}

/* Call fn on each space-separated word of folded text. */
static void
each_word(CdmKeyBuilder *b, const cdm_char *s, size_t n,
		  void (*fn) (CdmKeyBuilder *, const cdm_char *, size_t))
{
	size_t		start = 0;
	size_t		words = 0;

	for (size_t i = 0; i <= n; i++)
	{
		if (i < n && s[i] != ' ')
			continue;
		if (i > start)
		{
			fn(b, s + start, i - start);
			if (++words % 256 == 0)
				CDM_CHECK_INTERRUPTS();
		}
		start = i + 1;
	}
}

void
cdm_key_add_name(CdmKeyBuilder *b, const cdm_char *folded, size_t n)
{
	each_word(b, folded, n, name_word);
}

static void
plain_word(CdmKeyBuilder *b, const cdm_char *w, size_t n)
{
	add_bigrams(b, w, n);
	cdm_key_add(b, CDM_KEY_WORD, cps_hash(KIND_WORD, w, n));
}

void
cdm_key_add_words(CdmKeyBuilder *b, const cdm_char *folded, size_t n)
{
	each_word(b, folded, n, plain_word);
}

void
cdm_key_add_email(CdmKeyBuilder *b, const char *addr, size_t len)
{
	const char *at = memchr(addr, '@', len);
	size_t		llen = at ? (size_t) (at - addr) : len;
	char		local[256];
	size_t		m = 0;

	cdm_key_add(b, CDM_KEY_WORD, bytes_hash(KIND_EMAIL, addr, len));
	if (at != NULL)
		cdm_key_add(b, CDM_KEY_WORD, bytes_hash(KIND_EMAIL_DOMAIN, at + 1, len - llen - 1));
	/* john.doe and john_doe are the same person more often than not */
	for (size_t i = 0; i < llen && m < sizeof(local); i++)
		if (addr[i] != '.' && addr[i] != '_' && addr[i] != '-' && addr[i] != '+')
			local[m++] = addr[i];
	if (m > 0)
	{
		cdm_key_add(b, CDM_KEY_WORD, bytes_hash(KIND_EMAIL_LOCAL, local, m));
		add_byte_bigrams(b, local, m);
	}
}

void
cdm_key_add_phone(CdmKeyBuilder *b, const char *s, size_t len)
{
	char		d[64];
	size_t		n = 0;

	for (size_t i = 0; i < len && n < sizeof(d); i++)
		if (s[i] >= '0' && s[i] <= '9')
			d[n++] = s[i];
	if (n == 0)
		return;
	cdm_key_add(b, CDM_KEY_WORD, bytes_hash(KIND_PHONE, d, n));
	if (n > 7)
		cdm_key_add(b, CDM_KEY_WORD, bytes_hash(KIND_PHONE_LAST7, d + n - 7, 7));
	for (size_t i = 0; i + 3 <= n; i++)
		cdm_key_add(b, CDM_KEY_GRAM, bytes_hash(KIND_PHONE_TRIGRAM, d + i, 3));
}

void
cdm_key_add_address(CdmKeyBuilder *b, const char *s, size_t len)
{
	size_t		start = 0;
	size_t		words = 0;

	for (size_t i = 0; i <= len; i++)
	{
		const char *w = s + start;
		size_t		n = i - start;
		bool		letters = false;

		if (i < len && s[i] != ' ')
			continue;
		start = i + 1;
		if (n == 0)
			continue;
		cdm_key_add(b, CDM_KEY_WORD, bytes_hash(KIND_WORD, w, n));
		for (size_t k = 0; k < n; k++)
			if ((w[k] >= 'a' && w[k] <= 'z') || (unsigned char) w[k] >= 0x80)
				letters = true;
		/* street names get typos; numbers and "st", "apt" are kept whole */
		if (letters && n >= 3)
			add_byte_bigrams(b, w, n);
		if (++words % 256 == 0)
			CDM_CHECK_INTERRUPTS();
	}
}
