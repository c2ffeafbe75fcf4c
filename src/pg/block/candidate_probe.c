/*
 * candidate_probe.c - cdm._store_candidate_ids: the store's candidates of a
 * record, read from cdm.record_block's primary key and ranked, in one call.
 *
 * The same reads as an index-only scan per blocking value (bkey = v ORDER BY
 * record DESC LIMIT n), without the executor: one scan descriptor rescanned
 * for each value, the visibility map consulted as nodeIndexonlyscan.c does
 * (the heap tuple is read only on a page not all-visible), then
 * cdm_candidate_rank (src/core/block/candidate_rank.c).  An ingest probes
 * about fifteen values; as a nested loop of index-only scans under a Limit
 * most of the time went to the executor's nodes, not to the index.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/visibilitymap.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "storage/predicate.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "candidate_rank_pg.h"

PG_FUNCTION_INFO_V1(cdm_store_candidate_ids);

/* A relation of schema cdm by name (42P01 when the store lacks it). */
static Oid
store_relation(Oid nsp, const char *name)
{
	Oid			oid = get_relname_relid(name, nsp);

	if (!OidIsValid(oid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("cdm._store_candidate_ids: relation cdm.%s does not exist", name),
				 errhint("The entity store's tables come with CREATE EXTENSION cdm; reinstall the extension.")));
	return oid;
}

/*
 * cdm._store_candidate_ids(bkeys bigint[], n integer, not_record bigint)
 * -> bigint[]: per value of bkeys the newest n records of
 * cdm.record_block visible to the statement's snapshot, ranked by
 * cdm_candidate_rank; at most n, not_record weighed but left out.  NULL
 * bkeys: an empty array; NULL n: no cap (as LIMIT NULL).
 */
Datum
cdm_store_candidate_ids(PG_FUNCTION_ARGS)
{
	size_t		cap = cdm_candidate_cap(fcinfo, 1, "cdm._store_candidate_ids");
	Datum	   *vals;
	bool	   *nulls;
	int			nv;
	size_t		nhits = 0,
				maxhits = 64;
	CdmCandidateHit *hits;
	Oid			nsp,
				heapoid,
				idxoid;
	AclResult	acl;
	Relation	heap,
				index;
	Snapshot	snapshot;
	IndexScanDesc scan;
	TupleTableSlot *slot;
	Buffer		vmbuf = InvalidBuffer;

	if (PG_ARGISNULL(0))
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(INT8OID));
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(0), INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &vals, &nulls, &nv);
	for (int i = 0; i < nv; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("cdm._store_candidate_ids: element %d of bkeys is NULL", i + 1),
					 errhint("Pass the record's blocking values, cdm.blocking_keys(attrs).")));

	nsp = get_namespace_oid("cdm", false);
	heapoid = store_relation(nsp, "record_block");
	idxoid = store_relation(nsp, "record_block_pkey");
	/* as the SQL it stands for: the caller may read the table */
	acl = pg_class_aclcheck(heapoid, GetUserId(), ACL_SELECT);
	if (acl != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("cdm._store_candidate_ids: permission denied for table cdm.record_block"),
				 errhint("It is internal to cdm.ingest and cdm.load_records, which run as the extension's owner: grant cdm_steward to ingest.")));

	heap = table_open(heapoid, AccessShareLock);
	index = index_open(idxoid, AccessShareLock);
	snapshot = ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot();
	scan = index_beginscan(heap, index, snapshot, 1, 0);
	scan->xs_want_itup = true;
	slot = table_slot_create(heap, NULL);
	hits = palloc(maxhits * sizeof(*hits));

	/* a value given twice is read twice; the ranking counts its hits once */
	for (int i = 0; i < nv; i++)
	{
		int64		value = DatumGetInt64(vals[i]);
		ScanKeyData skey;
		ItemPointer tid;
		size_t		got = 0;

		CHECK_FOR_INTERRUPTS();
		ScanKeyInit(&skey, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(value));
		index_rescan(scan, &skey, 1, NULL, 0);
		/* newest first: the primary key is (bkey, record) */
		while (got < cap && (tid = index_getnext_tid(scan, BackwardScanDirection)) != NULL)
		{
			bool		isnull;
			Datum		rec;

			if (!VM_ALL_VISIBLE(heap, ItemPointerGetBlockNumber(tid), &vmbuf))
			{
				if (!index_fetch_heap(scan, slot))
					continue;	/* not visible to this snapshot */
				ExecClearTuple(slot);
			}
			else
				PredicateLockPage(heap, ItemPointerGetBlockNumber(tid), snapshot);
			rec = index_getattr(scan->xs_itup, 2, scan->xs_itupdesc, &isnull);
			if (isnull)			/* a primary key column: cannot be */
				elog(ERROR, "cdm._store_candidate_ids: NULL record in cdm.record_block_pkey");
			if (nhits == maxhits)
			{
				maxhits *= 2;
				hits = repalloc(hits, maxhits * sizeof(*hits));
			}
			hits[nhits].value = value;
			hits[nhits].record = DatumGetInt64(rec);
			nhits++;
			got++;
		}
	}

	if (BufferIsValid(vmbuf))
		ReleaseBuffer(vmbuf);
	ExecDropSingleTupleTableSlot(slot);
	index_endscan(scan);
	index_close(index, AccessShareLock);
	table_close(heap, AccessShareLock);

	PG_RETURN_ARRAYTYPE_P(cdm_candidate_ranked(fcinfo, hits, nhits, cap, 2));
}
