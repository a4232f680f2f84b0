"""The metric history: sequence numbers, and "what changed since N" for every follower."""
from engine.experiment import Experiment
from engine.history import LIMIT, History


def entries(steps):
    return [{"step": s, "epoch": 0} for s in steps]


def test_a_follower_gets_only_what_was_recorded_after_its_number():
    history = History(entries([0, 1]))
    seen = history.seq
    history.append({"step": 2, "epoch": 0})
    changes = history.since(seen)
    assert not changes.restart and [e["step"] for _, e in changes.entries] == [2] and changes.dropped == []
    assert history.since(history.seq).entries == []


def test_a_replaced_entry_comes_again_under_a_new_number():
    history = History(entries([0, 1]))
    seen = history.seq
    history.replace_newest({"step": 1, "epoch": 0, "train_loss": 0.5})
    (seq, entry), = history.since(seen).entries
    assert seq > seen and entry["train_loss"] == 0.5 and len(history) == 2


def test_thinning_reports_the_dropped_steps_and_a_follower_two_thinnings_behind_restarts():
    history = History(entries(range(LIMIT)))
    before = history.seq
    history.append({"step": LIMIT, "epoch": 0})
    changes = history.since(before)
    assert not changes.restart and len(history) == LIMIT // 2 + 1
    assert changes.dropped == list(range(1, LIMIT, 2)) and [e["step"] for _, e in changes.entries] == [LIMIT]
    after_first = history.seq
    for step in range(LIMIT + 1, LIMIT + 1 + LIMIT):
        history.append({"step": step, "epoch": 0})
        if len(history) == LIMIT // 2 + 1:
            break
    assert history.since(before).restart
    assert not history.since(after_first).restart


def test_a_new_history_never_reuses_a_number_so_its_followers_restart():
    old = History(entries([0, 1, 2]))
    new = History(entries([0]))
    assert new.since(old.seq).restart and new.since(None).restart
    assert [e["step"] for _, e in new.since(old.seq).entries] == [0]


def test_the_experiment_history_reads_like_a_list_and_reset_starts_a_new_one():
    exp = Experiment.create({"layers": [2, 3, 1]}, {"name": "xor", "samples": 40})
    exp.advance(by="iteration", count=2)
    assert [e["step"] for e in exp.history] == [0, 2] and exp.history[-1]["step"] == 2
    seen = exp.history.seq
    exp.set_parameter("L0N0-L1N0", 0.25)
    assert [e["step"] for _, e in exp.history.since(seen).entries] == [2]
    exp.reset()
    assert exp.history.since(seen).restart and len(exp.history) == 1
