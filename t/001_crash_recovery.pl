# Crash safety of the entity store (issue 8): the server is killed with
# SIGKILL (postmaster and every backend at once, as a machine losing power
# would from PostgreSQL's point of view) while one session ingests, merges,
# unmerges and decides in committed transactions and another writes rows in
# bulk to a registered source table.  After crash recovery every record is
# on one live entity, the log agrees with the store, the indexes pass
# cdm.check_store() (with amcheck), exactly the committed records are there,
# and the store takes new work.  Two rounds, two kill points: in the middle
# of the ingest/merge loop with small committed feed batches, and in the
# middle of one large feed INSERT.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);

my $node = PostgreSQL::Test::Cluster->new('crash');
$node->init;
$node->append_conf('postgresql.conf', "log_min_messages = warning\n");
$node->start;

# The generator of the concurrency test (people in households, typos) and
# the store, with amcheck for the index checks.
$node->safe_psql('postgres', 'CREATE EXTENSION cdm; CREATE EXTENSION amcheck;');
{
	open my $fh, '<', 'test/concurrency/setup.sql' or die "test/concurrency/setup.sql: $!";
	local $/;
	my $setup = <$fh>;
	close $fh;
	$node->safe_psql('postgres', $setup);
}
# crash_journal: written in the same transaction as each ingest, so it
# holds exactly the keys whose ingest committed.  crm_feed: a registered
# source, written in bulk.
$node->safe_psql('postgres', q{
  CREATE TABLE crash_journal (source text NOT NULL, source_key text NOT NULL);
  CREATE TABLE crm_feed (id integer PRIMARY KEY, first text, last text, mail text, phone text);
  SELECT cdm.register_source('feed', 'crm_feed', 'id',
    '{"given_name": "first", "family_name": "last", "email": "mail", "phone": "phone"}');
});

# The ingest/merge/unmerge/decide loop: one committed transaction per step,
# until the server dies (bounded all the same).
sub start_loop
{
	my ($seed) = @_;
	my $bg = $node->background_psql('postgres', on_error_stop => 0);
	$bg->query_until(qr/loop started/, qq{
\\echo loop started
DO \$\$
DECLARE
  p integer; v integer; s integer;
BEGIN
  PERFORM setseed($seed);
  FOR i IN 1 .. 200000 LOOP
    p := 1 + floor(random() * 300)::integer;
    v := floor(random() * 6)::integer;
    s := 1 + floor(random() * 4)::integer;
    CASE i % 10
      WHEN 3 THEN PERFORM cdm_stress.merge(p, CASE WHEN i % 20 = 3 THEN p / 3 * 3 + 1 ELSE p END);
      WHEN 6 THEN PERFORM cdm_stress.unmerge(p);
      WHEN 9 THEN PERFORM cdm_stress.decide(p, p, i % 10);
      ELSE
        PERFORM cdm_stress.ingest(p, v, s);
        INSERT INTO crash_journal VALUES (cdm_stress.source(s), p || '.' || (v % 3));
    END CASE;
    COMMIT;
  END LOOP;
END \$\$;
});
	return $bg;
}

# Rows for the feed, people overlapping the loop's (they link to its
# entities); a multi-row write to a source can deadlock with a concurrent
# ingest (both hold person locks to commit), and is then retried here, by
# the writer, as cdm documents.
sub feed_rows
{
	my ($from, $to) = @_;
	return qq{INSERT INTO crm_feed (id, first, last, mail, phone)
    SELECT g, a->>'given_name', a->>'family_name', a->>'email', a->>'phone'
      FROM generate_series($from, $to) g, cdm_stress.attrs(1 + g % 600, g % 6) a};
}

sub start_feed_batches
{
	my ($first) = @_;
	my $bg = $node->background_psql('postgres', on_error_stop => 0);
	my $rows = feed_rows("b * 50 + $first", "b * 50 + $first + 49");
	$bg->query_until(qr/feed started/, qq{
\\echo feed started
DO \$\$
BEGIN
  FOR b IN 0 .. 2000 LOOP
    LOOP
      BEGIN
        $rows;
        EXIT;
      EXCEPTION WHEN deadlock_detected THEN
        PERFORM pg_sleep(0.01);
      END;
    END LOOP;
    COMMIT;
  END LOOP;
END \$\$;
});
	return $bg;
}

sub start_feed_bulk
{
	my ($from, $to) = @_;
	my $bg = $node->background_psql('postgres', on_error_stop => 0);
	$bg->query_until(qr/bulk started/, "\\echo bulk started\n" . feed_rows($from, $to) . ";\n");
	return $bg;
}

# SIGKILL to the postmaster and all its children at once; wait until they
# are gone.
sub crash
{
	my @bgs = @_;
	open my $fh, '<', $node->data_dir . '/postmaster.pid' or die "postmaster.pid: $!";
	my $pm = <$fh>;
	close $fh;
	chomp $pm;
	my @children;
	opendir my $proc, '/proc' or die "/proc: $!";
	for my $pid (grep { /^\d+$/ } readdir $proc)
	{
		open my $st, '<', "/proc/$pid/stat" or next;
		my $line = <$st>;
		close $st;
		next unless defined $line && $line =~ /\)\s+\S+\s+(\d+)/;
		push @children, $pid if $1 == $pm;
	}
	closedir $proc;
	$node->kill9;
	kill 'KILL', @children;
	for (1 .. 500)
	{
		last unless grep { -e "/proc/$_" } ($pm, @children);
		usleep(20_000);
	}
	# their psql lost its server: end it (its stdin may be a broken pipe)
	for my $bg (@bgs)
	{
		eval { $bg->{run}->kill_kill; 1 } or note("psql: $@");
	}
	return scalar @children;
}

sub wait_for
{
	my ($query, $what) = @_;
	ok($node->poll_query_until('postgres', $query), $what);
}

# After recovery: cdm.check_store() all ok, the store holds exactly the
# committed keys, and takes new work.
sub check_after_recovery
{
	my ($round) = @_;
	my $bad = $node->safe_psql('postgres',
		"SELECT string_agg(check_name || ': ' || detail, '; ') FROM cdm.check_store() WHERE ok IS NOT TRUE");
	is($bad, '', "round $round: cdm.check_store() passes after recovery");
	my $skipped = $node->safe_psql('postgres',
		"SELECT count(*) FROM cdm.check_store() WHERE ok IS NULL");
	is($skipped, '0', "round $round: no check skipped (amcheck ran)");
	my $diff = $node->safe_psql('postgres', q{
	  WITH committed AS (
	    SELECT source, source_key FROM crash_journal
	    UNION SELECT 'feed', id::text FROM crm_feed),
	  stored AS (SELECT source, source_key FROM cdm.record)
	  SELECT (SELECT count(*) FROM (SELECT * FROM committed EXCEPT SELECT * FROM stored) x) || ' missing, '
	      || (SELECT count(*) FROM (SELECT * FROM stored EXCEPT SELECT * FROM committed) x) || ' not committed, '
	      || (SELECT count(*) FROM stored) || ' = ' || (SELECT count(*) FROM committed)});
	like($diff, qr/^0 missing, 0 not committed, (\d+) = \1$/,
		"round $round: records are exactly the committed (source, key) pairs ($diff)");
	my $orphans = $node->safe_psql('postgres', q{
	  SELECT count(*) FROM cdm.record r
	   WHERE (SELECT count(*) FROM cdm.entity e WHERE e.id = r.entity AND e.merged_into IS NULL) <> 1});
	is($orphans, '0', "round $round: every record belongs to exactly one live entity");
	# one statement each: a statement does not see what an earlier function
	# call in it wrote
	my ($given, $family) = @{ (['Zora', 'Quell'], ['Ivo', 'Brandt'])[ $round - 1 ] };
	my $mail = lc("$given.$family") . '@after.example';
	my $a = $node->safe_psql('postgres', qq{SELECT cdm.ingest('after', 'A$round',
	  '{"given_name": "$given", "family_name": "$family", "email": "$mail"}')});
	my $b = $node->safe_psql('postgres', qq{SELECT cdm.ingest('later', 'B$round',
	  '{"given_name": "$given", "family_name": "$family", "email": "$mail"}')});
	my $m = $node->safe_psql('postgres', qq{SELECT cdm.merge($a, cdm.entity_of('feed', '1'), 'after the crash')});
	my $u = $node->safe_psql('postgres', qq{SELECT cdm.unmerge('after', 'A$round', 'after the crash')});
	my $new = ($a =~ /^\d+$/ && $a eq $b && $m =~ /^\d+$/ && $u =~ /^\d+$/ && $u ne $m) ? 't' : "a=$a b=$b m=$m u=$u";
	is($new, 't', "round $round: the store takes new ingests, merges and unmerges");
	$node->safe_psql('postgres', "INSERT INTO crash_journal VALUES ('after', 'A$round'), ('later', 'B$round')");
	$bad = $node->safe_psql('postgres',
		"SELECT string_agg(check_name || ': ' || detail, '; ') FROM cdm.check_store() WHERE ok IS NOT TRUE");
	is($bad, '', "round $round: cdm.check_store() still passes after new work");
}

my $t0 = time;

# Round 1: kill in the middle of the loop (once it has committed merges,
# unmerges and decisions) while the feed commits batches of 50 rows.
my $loop = start_loop(0.25);
my $feed = start_feed_batches(1);
wait_for(q{SELECT (SELECT count(*) FROM cdm.event WHERE event = 'merge') >= 5
              AND (SELECT count(*) FROM cdm.event WHERE event = 'unmerge') >= 5
              AND (SELECT count(*) FROM crm_feed) >= 100},
	'round 1: merges, unmerges and feed batches committed');
usleep(300_000);
my $killed = crash($loop, $feed);
ok($killed >= 2, "round 1: postmaster and $killed children killed with SIGKILL");
$node->start;
ok($node->log_contains(qr/database system was not properly shut down|database system was interrupted/),
	'round 1: the server went through crash recovery');
check_after_recovery(1);
my $feed_before = $node->safe_psql('postgres', 'SELECT count(*) FROM crm_feed');

# Round 2: kill in the middle of one large feed INSERT (10,000 rows, one
# transaction) while the loop runs: none of its rows may survive, nor
# their records.
$node->rotate_logfile;
$node->restart;
$loop = start_loop(0.75);
my $bulk = start_feed_bulk(200001, 210000);
wait_for(q{SELECT count(*) > 0 FROM pg_stat_activity
            WHERE query LIKE 'INSERT INTO crm_feed%' AND state = 'active'
              AND now() - query_start > interval '1 second'},
	'round 2: the bulk INSERT has run for a second');
$killed = crash($loop, $bulk);
ok($killed >= 2, "round 2: postmaster and $killed children killed with SIGKILL");
$node->start;
ok($node->log_contains(qr/database system was not properly shut down|database system was interrupted/),
	'round 2: the server went through crash recovery');
my $feed_after = $node->safe_psql('postgres', 'SELECT count(*) FROM crm_feed');
is($feed_after, $feed_before, 'round 2: the bulk INSERT in flight left no row');
is($node->safe_psql('postgres', "SELECT count(*) FROM cdm.record WHERE source = 'feed' AND source_key::integer > 200000"),
	'0', 'round 2: ... and no record');
check_after_recovery(2);

my $stats = $node->safe_psql('postgres', q{
  SELECT (SELECT count(*) FROM cdm.record) || ' records, '
      || (SELECT count(*) FROM cdm.event WHERE event = 'merge') || ' merges, '
      || (SELECT count(*) FROM cdm.event WHERE event = 'unmerge') || ' unmerges, '
      || (SELECT count(*) FROM cdm.event WHERE event = 'decide') || ' decisions'});
note("store after two crashes: $stats; " . (time - $t0) . " s");

$node->stop;
done_testing();
