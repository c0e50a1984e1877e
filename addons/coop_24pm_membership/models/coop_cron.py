"""Issue 15: scheduled jobs that never collide.

Every scheduled job of the suite hands the records it changes to ``run_in_batches``:

- each batch is locked first (``SELECT ... FOR NO KEY UPDATE SKIP LOCKED``, Odoo's
  ``try_lock_for_update``): rows that another job, the same job on another server or a
  user holds are skipped and left for the next run, instead of one transaction failing
  with "could not serialize access due to concurrent update";
- each record is processed in a savepoint: when it fails, its changes are rolled back,
  the failure is posted as a note on the record (and logged) and the job goes on;
- from a scheduled action, each batch is committed through Odoo 19's cron progress API
  (``ir.cron._commit_progress``), so a long run resumes where it stopped and holds its
  locks for one batch only.
"""

import logging

import psycopg2.errors

from odoo.tools import exception_to_unicode

_logger = logging.getLogger(__name__)


def run_in_batches(records, process, batch_size=50, lock=None):
    """Run ``process(record)`` for each record of ``records`` as described above.

    ``lock`` (optional) gives, for a batch, the other rows the job changes (e.g. the
    member companies whose status a membership's state computes); a record is processed
    only when its rows could all be locked. Returns the records processed without error.
    """
    env = records.env
    in_cron = bool(env.context.get("ir_cron_progress_id"))
    done = records.browse()
    remaining = len(records)
    for start in range(0, len(records), batch_size):
        batch = records[start : start + batch_size]
        locked = _lock_batch(batch, lock)
        for record in locked:
            try:
                with env.cr.savepoint():
                    process(record)
                done |= record
            except (psycopg2.errors.SerializationFailure, psycopg2.errors.LockNotAvailable):
                env.invalidate_all()
                _logger.info("%s: skipped, changed by another transaction; next run", record)
            except Exception as exc:  # noqa: BLE001 - one record's failure must not stop the job
                env.invalidate_all()
                _report_failure(record, exc)
        remaining -= len(batch)
        if in_cron and not env["ir.cron"]._commit_progress(len(locked), remaining=remaining):
            break
    return done


def _lock_batch(batch, lock):
    """The records of ``batch`` whose rows (and ``lock(record)``'s) this transaction could lock."""
    env = batch.env
    try:
        with env.cr.savepoint():
            locked = batch.try_lock_for_update(allow_referencing=True)
            if lock and locked:
                kept = locked.browse()
                for record in locked:
                    others = lock(record)
                    if not others or len(others.try_lock_for_update(allow_referencing=True)) == len(others):
                        kept |= record
                locked = kept
    except (psycopg2.errors.SerializationFailure, psycopg2.errors.LockNotAvailable):
        # a row was changed by a transaction that committed after ours started: next run
        env.invalidate_all()
        return batch.browse()
    skipped = len(batch) - len(locked)
    if skipped:
        _logger.info("%s: %s record(s) held by another transaction, left for the next run", batch._name, skipped)
    return locked


def _report_failure(record, exc):
    """A job's failure for one record is a note on that record, not only a log line."""
    env = record.env
    message = exception_to_unicode(exc)
    _logger.warning("Scheduled job failed for %s: %s", record, message)
    if not hasattr(record, "message_post"):
        return
    with env.cr.savepoint():
        record.sudo().message_post(
            body=env._("The scheduled job could not process this record: %s", message),
            subtype_xmlid="mail.mt_note",
        )
