-- Every committed change to a search or to what belongs to it sends the search's id on channel
-- 'cellforge_search', whichever process made it (the server, a worker, a command-line search): the
-- dashboard redraws what changed instead of polling. PostgreSQL delivers a notice only when its
-- transaction commits, and folds equal notices of one transaction into one.
CREATE FUNCTION cellforge_notify_search() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    row_data RECORD;
    id BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        row_data := OLD;
    ELSE
        row_data := NEW;
    END IF;
    IF TG_TABLE_NAME = 'search' THEN
        id := row_data.id;
    ELSIF TG_TABLE_NAME = 'trial_epoch' THEN
        SELECT t.search_id INTO id FROM trial t WHERE t.id = row_data.trial_id;
    ELSE
        id := row_data.search_id;
    END IF;
    IF id IS NOT NULL THEN
        PERFORM pg_notify('cellforge_search', id::text);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER search_notify AFTER INSERT OR UPDATE OR DELETE ON search
    FOR EACH ROW EXECUTE FUNCTION cellforge_notify_search();
CREATE TRIGGER trial_notify AFTER INSERT OR UPDATE OR DELETE ON trial
    FOR EACH ROW EXECUTE FUNCTION cellforge_notify_search();
CREATE TRIGGER trial_epoch_notify AFTER INSERT OR UPDATE ON trial_epoch
    FOR EACH ROW EXECUTE FUNCTION cellforge_notify_search();
CREATE TRIGGER retrain_notify AFTER INSERT OR UPDATE OR DELETE ON retrain
    FOR EACH ROW EXECUTE FUNCTION cellforge_notify_search();
CREATE TRIGGER supernet_epoch_notify AFTER INSERT OR UPDATE OR DELETE ON supernet_epoch
    FOR EACH ROW EXECUTE FUNCTION cellforge_notify_search();

-- The trial list's usual sort orders within a search (accuracy best first; parameters and seconds
-- smallest first; ties by number), so one page is read from an index, not by sorting every trial of
-- the search. The opposite directions sort the search's trials.
CREATE INDEX trial_search_accuracy_idx ON trial (search_id, validation_accuracy DESC NULLS LAST, number);
CREATE INDEX trial_search_parameters_idx ON trial (search_id, parameters, number);
CREATE INDEX trial_search_seconds_idx ON trial (search_id, seconds, number);
CREATE INDEX trial_search_status_idx ON trial (search_id, status, number);
CREATE INDEX search_status_idx ON search (status, id);
