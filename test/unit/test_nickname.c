/*
 * test_nickname.c - the generated nickname table against
 * data/nicknames/names.csv (same pairs, same order, nothing more), the
 * table's invariants, and the lookups cdm.nickname_roots and
 * cdm.nickname_root are built on.
 */
#include "unit.h"

#include "fold.h"
#include "nickname.h"

typedef struct Row
{
	char	   *name;
	char	   *nickname;
} Row;

static int
row_cmp(const void *x, const void *y)
{
	const Row  *a = x,
			   *b = y;
	int			c = strcmp(a->name, b->name);

	return c ? c : strcmp(a->nickname, b->nickname);
}

static char *
fold_dup(const char *s)
{
	size_t		len = strlen(s);
	char	   *out = malloc(len + 1);

	out[cdm_fold_ascii(s, len, out)] = '\0';
	return out;
}

/* The CSV, folded, sorted and deduplicated, must be the table exactly. */
static void
table_matches_csv(const char *dir)
{
	char		path[4096];
	CsvReader  *r;
	char	   *f[8];
	int			nf;
	Row		   *rows = NULL;
	size_t		n = 0,
				cap = 0,
				u = 0;
	int			bad_rows = 0;
	size_t		mismatches = 0;

	/* dir is test/conformance/data: the project root is three levels up */
	snprintf(path, sizeof(path), "%s/../../../data/nicknames", dir);
	r = csv_open(path, "names.csv");
	CHECK(csv_column(r, "name1") == 0 && csv_column(r, "name2") == 2, "CSV header");
	while ((nf = csv_next(r, f, 8)) > 0)
	{
		if (nf != 3 || strcmp(f[1], "has_nickname") != 0)
		{
			bad_rows++;
			continue;
		}
		if (n == cap)
			rows = realloc(rows, (cap = cap ? 2 * cap : 4096) * sizeof(Row));
		rows[n].name = fold_dup(f[0]);
		rows[n].nickname = fold_dup(f[2]);
		n++;
	}
	csv_close(r);
	CHECK_INT(bad_rows, 0, "rows that are not name,has_nickname,nickname");
	CHECK_INT(n, 2691, "rows in names.csv");
	qsort(rows, n, sizeof(Row), row_cmp);
	for (size_t i = 0; i < n; i++)
	{
		if (u == 0 || row_cmp(&rows[u - 1], &rows[i]) != 0)
			rows[u++] = rows[i];
		else
		{
			free(rows[i].name);
			free(rows[i].nickname);
		}
	}
	CHECK_INT(cdm_nickname_npairs, u, "table size = distinct folded CSV pairs");
	for (size_t i = 0; i < u && i < cdm_nickname_npairs; i++)
	{
		if (strcmp(rows[i].name, cdm_nickname_pairs[i].name) != 0 ||
			strcmp(rows[i].nickname, cdm_nickname_pairs[i].nickname) != 0)
		{
			if (mismatches++ < 5)
				fprintf(stderr, "  pair %zu: csv %s/%s table %s/%s\n", i,
						rows[i].name, rows[i].nickname,
						cdm_nickname_pairs[i].name, cdm_nickname_pairs[i].nickname);
		}
	}
	CHECK_INT(mismatches, 0, "table pairs = CSV pairs, in order (regenerate with scripts/gen_nicknames.sh)");
	for (size_t i = 0; i < u; i++)
	{
		free(rows[i].name);
		free(rows[i].nickname);
	}
	free(rows);
}

/* The index is a permutation of the pairs sorted by (nickname, name). */
static void
index_invariants(void)
{
	unsigned char *seen = calloc(cdm_nickname_npairs, 1);
	size_t		unsorted = 0,
				dups = 0,
				longest = 0;

	for (size_t i = 0; i < cdm_nickname_npairs; i++)
	{
		uint16_t	k = cdm_nickname_by_nickname[i];

		if (k >= cdm_nickname_npairs || seen[k]++)
			dups++;
		if (i > 0)
		{
			const CdmNicknamePair *p = &cdm_nickname_pairs[cdm_nickname_by_nickname[i - 1]];
			const CdmNicknamePair *q = &cdm_nickname_pairs[k];
			int			c = strcmp(p->nickname, q->nickname);

			if (c > 0 || (c == 0 && strcmp(p->name, q->name) >= 0))
				unsorted++;
		}
		if (strlen(cdm_nickname_pairs[i].name) > longest)
			longest = strlen(cdm_nickname_pairs[i].name);
		if (strlen(cdm_nickname_pairs[i].nickname) > longest)
			longest = strlen(cdm_nickname_pairs[i].nickname);
	}
	CHECK_INT(dups, 0, "index is a permutation");
	CHECK_INT(unsorted, 0, "index sorted by (nickname, name), strictly");
	CHECK(longest <= CDM_NICKNAME_MAX_LEN, "longest name %zu <= CDM_NICKNAME_MAX_LEN", longest);
	for (size_t i = 1; i < cdm_nickname_npairs; i++)
	{
		if (row_cmp(&(Row) {(char *) cdm_nickname_pairs[i - 1].name, (char *) cdm_nickname_pairs[i - 1].nickname},
					&(Row) {(char *) cdm_nickname_pairs[i].name, (char *) cdm_nickname_pairs[i].nickname}) >= 0)
			unsorted++;
	}
	CHECK_INT(unsorted, 0, "pairs sorted by (name, nickname), strictly");
	free(seen);
}

/* roots(key) as "a,b,c" */
static const char *
roots_str(const char *key)
{
	static char buf[1024];
	const char *r[CDM_NICKNAME_MAX_ROOTS];
	size_t		n = cdm_nickname_roots(key, strlen(key), r);

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
	{
		if (i)
			strcat(buf, ",");
		strcat(buf, r[i]);
	}
	return buf;
}

static const char *
root_str(const char *key)
{
	const char *r = cdm_nickname_root(key, strlen(key));

	return r ? r : "(null)";
}

static void
lookups(void)
{
	size_t		most = 0;

	CHECK_STR(roots_str("bob"), "bert,bob,bobby,robert", "roots(bob): bob is also a formal name (bob has_nickname rob)");
	CHECK_STR(roots_str("robert"), "bill,billy,bob,robert", "roots(robert): the data lists robert under bill, billy and bob too");
	CHECK_STR(roots_str("pat"), "patience,patricia,patrick", "roots(pat)");
	CHECK_STR(roots_str("ron"), "aaron,aron,cameron,ron,ronald,veronica", "roots(ron)");
	CHECK_STR(roots_str("zebulon"), "", "zebulon is not in the data");
	CHECK_STR(roots_str("zeb"), "zebedee", "zeb is zebedee's");
	CHECK_STR(roots_str("zachariah"), "zachariah", "a formal name that is nobody's nickname: itself");
	CHECK_STR(roots_str("zzyzx"), "", "unknown: no roots");
	CHECK_STR(roots_str(""), "", "empty: no roots");
	CHECK_STR(roots_str("k c"), "casey,kasey", "k.c. is stored folded");
	CHECK_STR(roots_str("b"), "", "a prefix of a key is not the key");
	CHECK_STR(roots_str("robertx"), "", "nor is a key plus a letter");
	CHECK_STR(roots_str("bobb"), "", "between keys");
	/* self merged into its place among the names it is a nickname of */
	CHECK_STR(roots_str("bobby"), "bert,bobby,robert,rodger,roger", "bobby: a formal name and a nickname, self sorted in");
	CHECK_STR(roots_str("tina"), "augusta,augustina,christiana,christina,christine,ernestine,katarina,kristine,martina,tina",
			  "tina: self sorted in");

	CHECK_STR(root_str("bob"), "robert", "root(bob): most nicknames, mutual");
	CHECK_STR(root_str("ron"), "ronald", "root(ron): longest common prefix");
	CHECK_STR(root_str("robert"), "robert", "root(robert)");
	CHECK_STR(root_str("bobby"), "robert", "root(bobby): cdm's choice");
	CHECK_STR(root_str("peter"), "peter", "root(peter): formal, though also a nickname of patrick");
	CHECK_STR(root_str("zzyzx"), "(null)", "root(unknown)");
	CHECK_STR(root_str("bill"), "william", "root(bill): cdm's choice among robert and william");
	CHECK_STR(root_str("mary"), "mary", "root(mary): marietta's 15 nicknames count as 10");
	CHECK_STR(root_str("will"), "william", "root(will)");
	CHECK_STR(root_str("peggy"), "margaret", "root(peggy): cdm's choice");
	CHECK_STR(root_str("maggie"), "margaret", "root(maggie)");
	CHECK_STR(root_str("liz"), "elizabeth", "root(liz)");
	CHECK_STR(root_str("pat"), "patricia", "root(pat): patricia has the most nicknames of three with prefix pat");
	CHECK_STR(root_str("andrew"), "andrew", "root(andrew): not andrea");
	CHECK_STR(root_str("zachariah"), "zachariah", "root(zachariah)");
	CHECK_STR(root_str("k c"), "kasey", "root(k c): kasey shares the k");
	CHECK_STR(root_str("tony"), "anthony", "root(tony): cdm's choice among six");
	CHECK_STR(root_str("jim"), "james", "root(jim)");
	CHECK_STR(root_str("sue"), "susan", "root(sue)");
	CHECK_STR(root_str("tommy"), "thomas", "root(tommy): cdm's choice, as root(tom)");
	CHECK_STR(root_str("tom"), "thomas", "root(tom)");
	CHECK_STR(root_str("chris"), "christopher", "root(chris): cdm's choice among 18");
	CHECK_STR(root_str("maria"), "maria", "root(maria): a name of its own, not marietta");
	CHECK_STR(root_str("william"), "william", "root(william)");
	CHECK_STR(root_str("margaret"), "margaret", "root(margaret)");

	/* cdm's choices: sorted, and each grounded in the data (one of the key's roots) */
	{
		int			bad = 0;

		for (size_t i = 0; i < cdm_nickname_npreferred(); i++)
		{
			const char *key = cdm_nickname_preferred_key(i);
			const char *want = cdm_nickname_preferred_root(key, strlen(key));
			const char *r[CDM_NICKNAME_MAX_ROOTS];
			size_t		n = cdm_nickname_roots(key, strlen(key), r);
			bool		grounded = strcmp(want, key) == 0;

			for (size_t k = 0; k < n; k++)
				grounded |= strcmp(r[k], want) == 0;
			if ((i > 0 && strcmp(cdm_nickname_preferred_key(i - 1), key) >= 0) || !grounded ||
				strcmp(root_str(key), want) != 0)
			{
				fprintf(stderr, "  preferred %s -> %s: unsorted, not a root in the data, or not taken\n", key, want);
				bad++;
			}
		}
		CHECK_INT(bad, 0, "%zu preferred roots sorted, grounded in the data and taken", cdm_nickname_npreferred());
	}

	/* root(root(x)) = root(x) for every name in the data */
	{
		int			bad = 0;

		for (size_t i = 0; i < cdm_nickname_npairs; i++)
		{
			const char *x = cdm_nickname_pairs[i].nickname;
			const char *r = cdm_nickname_root(x, strlen(x));
			const char *rr = r ? cdm_nickname_root(r, strlen(r)) : NULL;

			if (r && (!rr || strcmp(r, rr) != 0) && bad++ < 5)
				fprintf(stderr, "  root(%s) = %s, root(%s) = %s\n", x, r, r, rr ? rr : "NULL");
		}
		CHECK_INT(bad, 0, "nickname_root is idempotent over all nicknames in the data");
	}

	CHECK(cdm_nickname_is_name("robert", 6) && cdm_nickname_is_nickname("robert", 6), "robert");
	CHECK(cdm_nickname_is_name("zachariah", 9) && !cdm_nickname_is_nickname("zachariah", 9), "zachariah");
	CHECK(!cdm_nickname_is_name("liz", 3) && cdm_nickname_is_nickname("liz", 3), "liz");
	CHECK(!cdm_nickname_is_name("zzz", 3) && !cdm_nickname_is_nickname("zzz", 3), "zzz");
	CHECK(cdm_nickname_count("robert", 6) >= 5, "robert has nicknames");
	CHECK_INT(cdm_nickname_count("bob", 3), 2, "bob has rob and robert");
	CHECK_INT(cdm_nickname_count("liz", 3), 0, "liz has none");
	CHECK_INT(cdm_nickname_count("robertx", 7), 0, "longer than a key");
	CHECK_INT(cdm_nickname_count("rober", 5), 0, "shorter than a key");
	CHECK_INT(cdm_nickname_count("robert", 0), 0, "length 0");

	/* every key: roots sorted, distinct, include the formal names that list it */
	for (size_t i = 0; i < cdm_nickname_npairs; i++)
	{
		const CdmNicknamePair *p = &cdm_nickname_pairs[i];
		const char *r[CDM_NICKNAME_MAX_ROOTS];
		size_t		n = cdm_nickname_roots(p->nickname, strlen(p->nickname), r);
		bool		found = false,
					sorted = true;

		for (size_t k = 0; k < n; k++)
		{
			found |= strcmp(r[k], p->name) == 0;
			if (k > 0 && strcmp(r[k - 1], r[k]) >= 0)
				sorted = false;
		}
		if (n > most)
			most = n;
		if (!found || !sorted || cdm_nickname_root(p->nickname, strlen(p->nickname)) == NULL)
		{
			CHECK(false, "roots(%s) lacks %s or is unsorted", p->nickname, p->name);
			break;
		}
		/* the root of a formal name is one of its roots, or reached from one */
		n = cdm_nickname_roots(p->name, strlen(p->name), r);
		found = false;
		for (size_t k = 0; k < n; k++)
		{
			const char *rk = cdm_nickname_root(r[k], strlen(r[k]));

			found |= r[k] == cdm_nickname_root(p->name, strlen(p->name)) ||
				(rk && strcmp(rk, cdm_nickname_root(p->name, strlen(p->name))) == 0);
		}
		if (!found)
		{
			CHECK(false, "root(%s) is neither among its roots nor reached from one", p->name);
			break;
		}
	}
	CHECK(most > 1 && most < CDM_NICKNAME_MAX_ROOTS, "most roots %zu fit", most);
}

/*
 * Keys holding a NUL (fuzz_names): "aron\0..." compared equal to the
 * table's "aron" under strncmp and the search read past it.  The SQL layer
 * never passes a NUL; the core takes any bytes.
 */
static void
nul_keys(void)
{
	static const char crash[] = "aron\0Bgb van der \xbe\x9a\x8d\x97";
	static const char *const keys[] = {"aron\0", "bob\0", "bob\0x", "\0", "robert\0\0"};
	const char *roots[CDM_NICKNAME_MAX_ROOTS];

	CHECK(cdm_nickname_count("aron", 4) > 0 || cdm_nickname_is_nickname("aron", 4),
		  "aron is in the table (the test needs a table word)");
	CHECK_INT((long long) cdm_nickname_roots(crash, sizeof(crash) - 1, roots), 0,
			  "the fuzzer's key has no roots");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
	{
		size_t		len = strlen(keys[i]) + 1 + (i == 2);

		CHECK(!cdm_nickname_is_name(keys[i], len) && !cdm_nickname_is_nickname(keys[i], len) &&
			  cdm_nickname_count(keys[i], len) == 0 &&
			  cdm_nickname_roots(keys[i], len, roots) == 0 &&
			  cdm_nickname_root(keys[i], len) == NULL &&
			  cdm_nickname_preferred_root(keys[i], len) == NULL &&
			  !cdm_nickname_related(keys[i], len, "robert", 6),
			  "key %zu with a NUL matches nothing", i);
	}
	CHECK(cdm_nickname_related("bob", 3, "robert", 6), "bob ~ robert still");
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "test/conformance/data";

	table_matches_csv(dir);
	index_invariants();
	lookups();
	nul_keys();
	return unit_report("nickname");
}
