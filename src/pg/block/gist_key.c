/*
 * gist_key.c - the GiST operator class cdm.gist_key_ops over cdm.key.
 *
 * Leaf entries are the keys themselves (exact, so leaf answers need no
 * recheck); inner entries are signatures (key_sig.h) of siglen bytes, the
 * opclass option.  Both are stored as cdm.gkey, a plain varlena whose first
 * word says which it is.  The distance on inner entries is the core's
 * lower bound, so ORDER BY k <-> q LIMIT n walks the tree best-first and
 * returns exactly what a sequential scan would.
 */
#include "postgres.h"

#include "access/gist.h"
#include "access/itup.h"
#include "access/reloptions.h"
#include "access/stratnum.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/sortsupport.h"

#include "key_pg.h"
#include "key_sig.h"

#define STRATEGY_SIMILAR	1	/* % */
#define STRATEGY_DISTANCE	2	/* <-> */

#define SIGLEN_DEFAULT	256
#define SIGLEN_MAX		2024

#define GKEY_LEAF	1
#define GKEY_SIG	2

/* cdm.gkey: a leaf key's tokens or a signature. */
typedef struct GKey
{
	int32		vl_len_;
	uint32		kind;
	uint8		data[FLEXIBLE_ARRAY_MEMBER];
} GKey;

#define GKEY_HDR			offsetof(GKey, data)
#define GKEY_TOK(g)			((cdm_token *) (g)->data)
#define GKEY_NTOK(g)		((size_t) (VARSIZE(g) - GKEY_HDR) / sizeof(cdm_token))
#define GKEY_SIGP(g)		((CdmKeySig *) (g)->data)

typedef struct GistKeyOptions
{
	int32		vl_len_;
	int			siglen;
} GistKeyOptions;

#define GET_SIGLEN() (PG_HAS_OPCLASS_OPTIONS() ? \
	((GistKeyOptions *) PG_GET_OPCLASS_OPTIONS())->siglen : SIGLEN_DEFAULT)

PG_FUNCTION_INFO_V1(cdm_gist_key_consistent);
PG_FUNCTION_INFO_V1(cdm_gist_key_distance);
PG_FUNCTION_INFO_V1(cdm_gist_key_union);
PG_FUNCTION_INFO_V1(cdm_gist_key_compress);
PG_FUNCTION_INFO_V1(cdm_gist_key_decompress);
PG_FUNCTION_INFO_V1(cdm_gist_key_penalty);
PG_FUNCTION_INFO_V1(cdm_gist_key_picksplit);
PG_FUNCTION_INFO_V1(cdm_gist_key_same);
PG_FUNCTION_INFO_V1(cdm_gist_key_options);
PG_FUNCTION_INFO_V1(cdm_gist_key_sortsupport);
PG_FUNCTION_INFO_V1(cdm_gkey_in);
PG_FUNCTION_INFO_V1(cdm_gkey_out);

static GKey *
gkey_new_sig(int siglen)
{
	Size		size = GKEY_HDR + CDM_SIG_SIZE(siglen);
	GKey	   *g = (GKey *) palloc(size);

	SET_VARSIZE(g, size);
	g->kind = GKEY_SIG;
	cdm_sig_clear(GKEY_SIGP(g), siglen);
	return g;
}

/* Add an entry (leaf key or signature) to signature s. */
static void
sig_add_entry(CdmKeySig *s, const GKey *g, int siglen)
{
	if (g->kind == GKEY_LEAF)
		cdm_sig_add_key(s, siglen, GKEY_TOK(g), GKEY_NTOK(g));
	else
		cdm_sig_add_sig(s, GKEY_SIGP(g), siglen);
}

/* ------------------------------------------------------------ query cache */

/*
 * The query's tokens and bit positions, kept in fn_extra for the scan:
 * consistent and distance run once per index entry with the same query.
 */
typedef struct QueryCache
{
	int			siglen;
	size_t		bytes;
	CdmKeyQuery q;
	cdm_token  *tok;
} QueryCache;

static QueryCache *
query_cache(FunctionCallInfo fcinfo, Datum query, int siglen)
{
	struct varlena *raw = (struct varlena *) DatumGetPointer(query);
	QueryCache *c = (QueryCache *) fcinfo->flinfo->fn_extra;
	const char *data;
	size_t		bytes;
	size_t		n;

	if (VARATT_IS_EXTERNAL(raw) || VARATT_IS_COMPRESSED(raw))
		raw = pg_detoast_datum(raw);
	data = VARDATA_ANY(raw);
	bytes = VARSIZE_ANY_EXHDR(raw);
	if (c != NULL && c->siglen == siglen && c->bytes == bytes &&
		memcmp(c->tok, data, bytes) == 0)
		return c;

	n = bytes / sizeof(cdm_token);
	if (c != NULL)
		pfree(c);
	c = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
						   MAXALIGN(sizeof(QueryCache)) + (n + 1) * 2 * sizeof(uint32));
	c->siglen = siglen;
	c->bytes = bytes;
	c->tok = (cdm_token *) ((char *) c + MAXALIGN(sizeof(QueryCache)));
	if (bytes > 0)
		memcpy(c->tok, data, bytes);
	cdm_sig_query_prepare(&c->q, c->tok, n, siglen, c->tok + n + 1);
	fcinfo->flinfo->fn_extra = c;
	return c;
}

/* Exact distance at a leaf, the lower bound at an inner entry. */
static double
entry_distance(FunctionCallInfo fcinfo, GISTENTRY *entry)
{
	GKey	   *g = (GKey *) DatumGetPointer(entry->key);
	QueryCache *c = (QueryCache *) fcinfo->flinfo->fn_extra;

	/*
	 * The cache belongs to this index's support function, so its siglen is
	 * the index's: reading the options again costs ~4% of a KNN scan.
	 */
	c = query_cache(fcinfo, PG_GETARG_DATUM(1), c ? c->siglen : GET_SIGLEN());

	if (g->kind == GKEY_LEAF)
		return cdm_sig_key_distance(&c->q, GKEY_TOK(g), GKEY_NTOK(g));
	return cdm_sig_lower_bound(GKEY_SIGP(g), &c->q);
}

Datum
cdm_gist_key_consistent(PG_FUNCTION_ARGS)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);
	StrategyNumber strategy = (StrategyNumber) PG_GETARG_UINT16(2);
	bool	   *recheck = (bool *) PG_GETARG_POINTER(4);

	if (strategy != STRATEGY_SIMILAR)
		elog(ERROR, "cdm.gist_key_ops: unrecognized strategy number %d", strategy);
	/* leaves hold exact keys: the answer is the operator's own */
	*recheck = false;
	PG_RETURN_BOOL(entry_distance(fcinfo, entry) <= cdm_key_threshold);
}

Datum
cdm_gist_key_distance(PG_FUNCTION_ARGS)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);
	StrategyNumber strategy = (StrategyNumber) PG_GETARG_UINT16(2);
	bool	   *recheck = (bool *) PG_GETARG_POINTER(4);

	if (strategy != STRATEGY_DISTANCE)
		elog(ERROR, "cdm.gist_key_ops: unrecognized strategy number %d", strategy);
	*recheck = false;
	PG_RETURN_FLOAT8(entry_distance(fcinfo, entry));
}

/* ---------------------------------------------------------- tree building */

Datum
cdm_gist_key_compress(PG_FUNCTION_ARGS)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);
	GISTENTRY  *retval = entry;

	if (entry->leafkey)
	{
		CdmKey	   *k = (CdmKey *) PG_DETOAST_DATUM(entry->key);
		size_t		n = CDM_KEY_NTOK(k);
		GKey	   *g = (GKey *) palloc(GKEY_HDR + n * sizeof(cdm_token));

		SET_VARSIZE(g, GKEY_HDR + n * sizeof(cdm_token));
		g->kind = GKEY_LEAF;
		if (n > 0)
			memcpy(g->data, k->tok, n * sizeof(cdm_token));
		retval = (GISTENTRY *) palloc(sizeof(GISTENTRY));
		gistentryinit(*retval, PointerGetDatum(g), entry->rel, entry->page,
					  entry->offset, false);
	}
	PG_RETURN_POINTER(retval);
}

Datum
cdm_gist_key_decompress(PG_FUNCTION_ARGS)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);
	GISTENTRY  *retval;
	struct varlena *key = PG_DETOAST_DATUM(entry->key);

	if (key == (struct varlena *) DatumGetPointer(entry->key))
		PG_RETURN_POINTER(entry);
	retval = (GISTENTRY *) palloc(sizeof(GISTENTRY));
	gistentryinit(*retval, PointerGetDatum(key), entry->rel, entry->page,
				  entry->offset, false);
	PG_RETURN_POINTER(retval);
}

Datum
cdm_gist_key_union(PG_FUNCTION_ARGS)
{
	GistEntryVector *entryvec = (GistEntryVector *) PG_GETARG_POINTER(0);
	int		   *size = (int *) PG_GETARG_POINTER(1);
	int			siglen = GET_SIGLEN();
	GKey	   *result = gkey_new_sig(siglen);

	for (int i = 0; i < entryvec->n; i++)
		sig_add_entry(GKEY_SIGP(result),
					  (GKey *) DatumGetPointer(entryvec->vector[i].key), siglen);
	*size = VARSIZE(result);
	PG_RETURN_POINTER(result);
}

Datum
cdm_gist_key_same(PG_FUNCTION_ARGS)
{
	GKey	   *a = (GKey *) PG_GETARG_POINTER(0);
	GKey	   *b = (GKey *) PG_GETARG_POINTER(1);
	bool	   *result = (bool *) PG_GETARG_POINTER(2);

	*result = VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;
	PG_RETURN_POINTER(result);
}

/*
 * Penalty: how many signature bits differ between the subtree and the new
 * entry (pg_trgm's measure; bits added alone would send everything to the
 * fullest subtree).  A leaf key's signature is cached across the calls of
 * one insertion.
 */
typedef struct PenaltyCache
{
	int			siglen;
	Size		keysize;
	CdmKeySig  *sig;
	GKey	   *key;
} PenaltyCache;

static const CdmKeySig *
entry_sig(FunctionCallInfo fcinfo, GKey *g, int siglen)
{
	PenaltyCache *c = (PenaltyCache *) fcinfo->flinfo->fn_extra;
	Size		size = VARSIZE(g);

	if (g->kind == GKEY_SIG)
		return GKEY_SIGP(g);
	if (c == NULL || c->siglen != siglen || c->keysize != size ||
		memcmp(c->key, g, size) != 0)
	{
		if (c != NULL)
			pfree(c);
		c = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
							   MAXALIGN(sizeof(PenaltyCache)) +
							   MAXALIGN(CDM_SIG_SIZE(siglen)) + size);
		c->siglen = siglen;
		c->keysize = size;
		c->sig = (CdmKeySig *) ((char *) c + MAXALIGN(sizeof(PenaltyCache)));
		c->key = (GKey *) ((char *) c->sig + MAXALIGN(CDM_SIG_SIZE(siglen)));
		memcpy(c->key, g, size);
		cdm_sig_clear(c->sig, siglen);
		cdm_sig_add_key(c->sig, siglen, GKEY_TOK(g), GKEY_NTOK(g));
		fcinfo->flinfo->fn_extra = c;
	}
	return c->sig;
}

Datum
cdm_gist_key_penalty(PG_FUNCTION_ARGS)
{
	GISTENTRY  *orig = (GISTENTRY *) PG_GETARG_POINTER(0);
	GISTENTRY  *new = (GISTENTRY *) PG_GETARG_POINTER(1);
	float	   *penalty = (float *) PG_GETARG_POINTER(2);
	int			siglen = GET_SIGLEN();
	GKey	   *o = (GKey *) DatumGetPointer(orig->key);
	const CdmKeySig *ns = entry_sig(fcinfo, (GKey *) DatumGetPointer(new->key), siglen);

	if (o->kind == GKEY_SIG)
		*penalty = (float) cdm_sig_hamming(GKEY_SIGP(o), ns, siglen);
	else
	{
		/* inner entries are signatures; stay correct should one not be */
		CdmKeySig  *os = palloc(CDM_SIG_SIZE(siglen));

		cdm_sig_clear(os, siglen);
		sig_add_entry(os, o, siglen);
		*penalty = (float) cdm_sig_hamming(os, ns, siglen);
		pfree(os);
	}
	PG_RETURN_POINTER(penalty);
}

/*
 * The build order of leaf keys (see cdm_gist_key_sortsupport): sorted token
 * lists compared in order, a prefix first.
 */
static int
gkey_order(const GKey *x, const GKey *y)
{
	size_t		nx = GKEY_NTOK(x);
	size_t		ny = GKEY_NTOK(y);
	const cdm_token *tx = GKEY_TOK(x);
	const cdm_token *ty = GKEY_TOK(y);
	size_t		n = nx < ny ? nx : ny;

	/* only leaf keys are sorted; a signature would sort after every key */
	if (x->kind != GKEY_LEAF || y->kind != GKEY_LEAF)
		return (x->kind > y->kind) - (x->kind < y->kind);
	for (size_t i = 0; i < n; i++)
		if (tx[i] != ty[i])
			return tx[i] < ty[i] ? -1 : 1;
	return (nx > ny) - (nx < ny);
}

typedef struct SplitCost
{
	OffsetNumber pos;
	int			cost;
} SplitCost;

static int
split_cost_cmp(const void *a, const void *b)
{
	int			x = ((const SplitCost *) a)->cost;
	int			y = ((const SplitCost *) b)->cost;

	return (x > y) - (x < y);
}

/* Leaf entries being sorted for a split (qsort has no context argument). */
typedef struct LeafPos
{
	OffsetNumber pos;
	const GKey *key;
} LeafPos;

static int
leaf_pos_cmp(const void *a, const void *b)
{
	return gkey_order(((const LeafPos *) a)->key, ((const LeafPos *) b)->key);
}

static bool
all_leaves(GistEntryVector *entryvec)
{
	for (int i = FirstOffsetNumber; i < entryvec->n; i++)
		if (((GKey *) DatumGetPointer(entryvec->vector[i].key))->kind != GKEY_LEAF)
			return false;
	return true;
}

/* Room an entry takes on a page (as gistfitpage counts it). */
static Size
leaf_room(const GKey *g)
{
	return MAXALIGN(sizeof(IndexTupleData) + VARSIZE(g)) + sizeof(ItemIdData);
}

/* Room for entries on a GiST page, less a little slack. */
#define LEAF_PAGE_ROOM \
	(BLCKSZ - SizeOfPageHeaderData - MAXALIGN(sizeof(GISTPageOpaqueData)) - 16)

/*
 * A leaf page splits in the build order (cdm_gist_key_sortsupport): the
 * halves are two runs of that order, so pages keep holding sound-alike names
 * after inserts (a split on signature bits scatters them: leaf signatures of
 * unrelated names are all far apart).  An overfull page after an insert
 * splits at the middle of its bytes.  The sorted build hands over several
 * full pages at once (PostgreSQL 15 buffers 4 and splits them with
 * picksplit, recursively while a part does not fit): then the left part
 * takes a page-full, so the pages come out full rather than split again.
 */
static GIST_SPLITVEC *
leaf_split(GistEntryVector *entryvec, GIST_SPLITVEC *v, int siglen)
{
	OffsetNumber maxoff = entryvec->n - 1;
	LeafPos    *p = palloc(sizeof(LeafPos) * maxoff);
	GKey	   *left = gkey_new_sig(siglen);
	GKey	   *right = gkey_new_sig(siglen);
	Size		total = 0,
				target,
				acc = 0;
	int			cut;

	for (OffsetNumber k = FirstOffsetNumber; k <= maxoff; k++)
	{
		p[k - 1].pos = k;
		p[k - 1].key = (const GKey *) DatumGetPointer(entryvec->vector[k].key);
		total += leaf_room(p[k - 1].key);
	}
	qsort(p, maxoff, sizeof(LeafPos), leaf_pos_cmp);
	target = total > LEAF_PAGE_ROOM * 3 / 2 ? LEAF_PAGE_ROOM : total / 2;
	for (cut = 0; cut < maxoff - 1; cut++)
	{
		acc += leaf_room(p[cut].key);
		if (acc > target)
			break;
	}
	if (cut == 0)
		cut = 1;				/* both sides non-empty */

	v->spl_left = palloc((maxoff + 1) * sizeof(OffsetNumber));
	v->spl_right = palloc((maxoff + 1) * sizeof(OffsetNumber));
	v->spl_nleft = 0;
	v->spl_nright = 0;
	for (int k = 0; k < maxoff; k++)
	{
		bool		l = k < cut;

		sig_add_entry(GKEY_SIGP(l ? left : right), p[k].key, siglen);
		if (l)
			v->spl_left[v->spl_nleft++] = p[k].pos;
		else
			v->spl_right[v->spl_nright++] = p[k].pos;
	}
	v->spl_ldatum = PointerGetDatum(left);
	v->spl_rdatum = PointerGetDatum(right);
	pfree(p);
	return v;
}

/* pg_trgm's balance term: grows with the cube of the imbalance. */
#define WISH_F(a,b,c) (double) (-(double) (((a) - (b)) * ((a) - (b)) * ((a) - (b))) * (c))

/*
 * Picksplit (Guttman's quadratic split as pg_trgm does it): the two
 * entries farthest apart seed the halves; the others go, those with the
 * clearest preference first, to the half whose signature they change
 * least, with a push towards balance.
 */
Datum
cdm_gist_key_picksplit(PG_FUNCTION_ARGS)
{
	GistEntryVector *entryvec = (GistEntryVector *) PG_GETARG_POINTER(0);
	GIST_SPLITVEC *v = (GIST_SPLITVEC *) PG_GETARG_POINTER(1);
	int			siglen = GET_SIGLEN();
	OffsetNumber maxoff = entryvec->n - 1;
	Size		sigsize = MAXALIGN(CDM_SIG_SIZE(siglen));
	char	   *cache;
	OffsetNumber seed1 = 1,
				seed2 = 2;
	int			waste = -1;
	GKey	   *left,
			   *right;
	SplitCost  *costs;

#define SIG_AT(i) ((CdmKeySig *) (cache + sigsize * (i)))

	if (all_leaves(entryvec))
		PG_RETURN_POINTER(leaf_split(entryvec, v, siglen));
	cache = palloc(sigsize * (maxoff + 1));

	for (OffsetNumber k = FirstOffsetNumber; k <= maxoff; k++)
	{
		cdm_sig_clear(SIG_AT(k), siglen);
		sig_add_entry(SIG_AT(k), (GKey *) DatumGetPointer(entryvec->vector[k].key), siglen);
	}
	for (OffsetNumber k = FirstOffsetNumber; k < maxoff; k++)
	{
		CHECK_FOR_INTERRUPTS();
		for (OffsetNumber j = k + 1; j <= maxoff; j++)
		{
			int			d = cdm_sig_hamming(SIG_AT(k), SIG_AT(j), siglen);

			if (d > waste)
			{
				waste = d;
				seed1 = k;
				seed2 = j;
			}
		}
	}

	v->spl_left = palloc((maxoff + 1) * sizeof(OffsetNumber));
	v->spl_right = palloc((maxoff + 1) * sizeof(OffsetNumber));
	v->spl_nleft = 0;
	v->spl_nright = 0;
	left = gkey_new_sig(siglen);
	right = gkey_new_sig(siglen);
	cdm_sig_add_sig(GKEY_SIGP(left), SIG_AT(seed1), siglen);
	cdm_sig_add_sig(GKEY_SIGP(right), SIG_AT(seed2), siglen);

	costs = palloc(sizeof(SplitCost) * maxoff);
	for (OffsetNumber j = FirstOffsetNumber; j <= maxoff; j++)
	{
		costs[j - 1].pos = j;
		costs[j - 1].cost = abs(cdm_sig_hamming(SIG_AT(seed1), SIG_AT(j), siglen) -
								cdm_sig_hamming(SIG_AT(seed2), SIG_AT(j), siglen));
	}
	qsort(costs, maxoff, sizeof(SplitCost), split_cost_cmp);

	for (int k = 0; k < maxoff; k++)
	{
		OffsetNumber j = costs[k].pos;
		int			dl,
					dr;

		if (k % 64 == 0)
			CHECK_FOR_INTERRUPTS();
		if (j == seed1 || j == seed2)
		{
			if (j == seed1)
				v->spl_left[v->spl_nleft++] = j;
			else
				v->spl_right[v->spl_nright++] = j;
			continue;
		}
		dl = cdm_sig_hamming(GKEY_SIGP(left), SIG_AT(j), siglen);
		dr = cdm_sig_hamming(GKEY_SIGP(right), SIG_AT(j), siglen);
		if (dl < dr + WISH_F(v->spl_nleft, v->spl_nright, 0.1))
		{
			cdm_sig_add_sig(GKEY_SIGP(left), SIG_AT(j), siglen);
			v->spl_left[v->spl_nleft++] = j;
		}
		else
		{
			cdm_sig_add_sig(GKEY_SIGP(right), SIG_AT(j), siglen);
			v->spl_right[v->spl_nright++] = j;
		}
	}
#undef SIG_AT

	v->spl_ldatum = PointerGetDatum(left);
	v->spl_rdatum = PointerGetDatum(right);
	PG_RETURN_POINTER(v);
}

Datum
cdm_gist_key_options(PG_FUNCTION_ARGS)
{
	local_relopts *relopts = (local_relopts *) PG_GETARG_POINTER(0);

	init_local_reloptions(relopts, sizeof(GistKeyOptions));
	add_local_int_reloption(relopts, "siglen",
							"signature length of inner index entries, in bytes",
							SIGLEN_DEFAULT, 1, SIGLEN_MAX,
							offsetof(GistKeyOptions, siglen));
	PG_RETURN_VOID();
}

/*
 * Sorted build (CREATE INDEX on PostgreSQL 14+ when every column has this
 * function): leaf keys are sorted, then packed into pages in that order, so
 * the order decides which keys share a page and an inner signature.  Keys
 * compare as sorted token lists; tokens sort by field, then class, and
 * codes (phonetic) come first, so names sharing their smallest phonetic
 * code are adjacent, then those sharing the next one: a leaf page holds a
 * few sound-alike groups and its signature stays sparse.  The key is a
 * set, so word order does not change where a name lands.
 */
static int
gkey_cmp(Datum a, Datum b, SortSupport ssup)
{
	GKey	   *x = (GKey *) PG_DETOAST_DATUM(a);
	GKey	   *y = (GKey *) PG_DETOAST_DATUM(b);
	int			r = gkey_order(x, y);

	if ((Pointer) x != DatumGetPointer(a))
		pfree(x);
	if ((Pointer) y != DatumGetPointer(b))
		pfree(y);
	return r;
}

Datum
cdm_gist_key_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	ssup->comparator = gkey_cmp;
	PG_RETURN_VOID();
}

/* cdm.gkey exists only inside indexes. */
Datum
cdm_gkey_in(PG_FUNCTION_ARGS)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("cannot accept a value of type cdm.gkey"),
			 errdetail("cdm.gkey is the storage type of the cdm.gist_key_ops index entries.")));
	PG_RETURN_VOID();
}

Datum
cdm_gkey_out(PG_FUNCTION_ARGS)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("cannot display a value of type cdm.gkey"),
			 errdetail("cdm.gkey is the storage type of the cdm.gist_key_ops index entries.")));
	PG_RETURN_VOID();
}
