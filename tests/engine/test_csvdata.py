"""CSV parsing: header detection, column choice, class names, kinds, the split, and every refusal."""
from __future__ import annotations

import numpy as np
import pytest

from engine.csvdata import parse_csv


def test_header_names_and_default_target_is_the_last_column():
    t = parse_csv(b"a,b,label\n1,2,red\n3,4,blue\n5,6,red\n")
    assert t.header and t.columns == ["a", "b", "label"] and t.inputs == [0, 1] and t.target == 2
    assert t.kind == "classification" and t.labels == ["blue", "red"]
    assert t.y.tolist() == [1, 0, 1] and t.x.tolist() == [[1, 2], [3, 4], [5, 6]]


def test_no_header_names_columns_x1_x2():
    t = parse_csv(b"1,2,0\n3,4,1\n")
    assert not t.header and t.columns == ["x1", "x2", "x3"] and t.labels == ["0", "1"]


def test_names_in_the_target_are_not_mistaken_for_a_header():
    t = parse_csv(b"5.1,3.5,setosa\n4.9,3.0,virginica\n")
    assert not t.header and len(t.x) == 2


def test_numeric_labels_map_to_0_to_k_minus_1_in_numeric_order():
    t = parse_csv(b"x,y\n1,-1\n2,10\n3,2\n4,-1\n")
    assert t.labels == ["-1", "2", "10"] and t.y.tolist() == [0, 2, 1, 0]


def test_kind_is_inferred_and_can_be_overridden():
    assert parse_csv(b"x,y\n1,0.5\n2,1.5\n").kind == "regression"
    many = "".join(f"{i},{i}\n" for i in range(20)).encode()
    assert parse_csv(many).kind == "regression"
    t = parse_csv(many, kind="classification")
    assert t.kind == "classification" and t.n_classes == 20
    assert parse_csv(b"x,y\n1,0\n2,1\n", kind="regression").y.tolist() == [0.0, 1.0]


def test_inputs_and_target_by_name_or_number():
    t = parse_csv(b"a,b,c,d\n1,2,3,0\n4,5,6,1\n", inputs=["c", "1"], target="b")
    assert t.inputs == [2, 0] and t.target == 1 and t.x.tolist() == [[3, 1], [6, 4]]
    assert t.names() == {"columns": ["c", "a"], "target": "b", "labels": ["2", "5"]}


def test_semicolons_and_tabs_and_a_byte_order_mark():
    assert parse_csv("\ufeffa;b\n1;0\n2;1\n".encode()).columns == ["a", "b"]
    assert parse_csv(b"a\tb\n1\t0\n2\t1\n").x.tolist() == [[1], [2]]


def test_split_follows_train_ratio_and_seed():
    t = parse_csv("".join(f"{i},{i % 2}\n" for i in range(10)).encode())
    a, b, c = t.split(0.7, 1), t.split(0.7, 1), t.split(0.7, 2)
    assert a == b and a != c and len(a["x_train"]) == 7 and len(a["x_test"]) == 3
    assert sorted(r[0] for r in a["x_train"] + a["x_test"]) == list(range(10))


@pytest.mark.parametrize("text, message", [
    (b"a,b,c\n1,2,x\n3,abc,y\n", "line 3, column 2: 'abc' is not a number"),
    (b"a,b,c\n1,2,x\n3,4\n", "line 3 has 2 values but line 1 has 3 values; give every line the same number of values"),
    (b"", "the CSV is empty; give one line per point (a header line first is optional)"),
    (b"\n \n", "the CSV is empty; give one line per point (a header line first is optional)"),
    (b"a,b,c\n", "the CSV has a header line but no data; add one line per point below it"),
    (b"a,label\n1,cat\n2,cat\n", "the target column 'label' holds only one class ('cat'); classification "
                                 "needs at least 2 classes"),
    (b"a,b\n1,\xff\n", "line 2: the file is not UTF-8 text (byte 0xff at position 6); save it as CSV in UTF-8"),
    (b"a,b,c\n1,,0\n", "line 2, column 2: the value is missing; fill it in or remove the line"),
    (b"a,b\n1,0\nnan,1\n", "line 3, column 1: 'nan' is not a finite number"),
    (b"a,b\n1,0.5\n2,x\n", None),  # names in the target: classification, fine
])
def test_each_bad_csv_gets_its_precise_message(text, message):
    if message is None:
        assert parse_csv(text).kind == "classification"
        return
    with pytest.raises(ValueError) as err:
        parse_csv(text)
    assert str(err.value) == message


def test_limits_on_rows_and_columns():
    with pytest.raises(ValueError, match=r"^the CSV has 4 data lines, more than the limit of 3 \(max_points\)"):
        parse_csv(b"a,b\n1,0\n2,1\n3,0\n4,1\n", max_rows=3)
    with pytest.raises(ValueError, match=r"^line 1 has 4 columns, more than the limit of 3 \(max_neurons\)"):
        parse_csv(b"1,2,3,0\n", max_columns=3)


def test_regression_target_must_be_numbers():
    with pytest.raises(ValueError, match="^line 2, column 2: 'cat' is not a number$"):
        parse_csv(b"a,b\n1,cat\n2,1\n", kind="regression")


def test_bad_column_choices_say_what_exists():
    with pytest.raises(ValueError, match=r"there is no column 'z'; the columns are a, b"):
        parse_csv(b"a,b\n1,0\n2,1\n", target="z")
    with pytest.raises(ValueError, match="none of them the target"):
        parse_csv(b"a,b\n1,0\n2,1\n", inputs=["b"])
    assert np.array_equal(parse_csv(b"a,b\n1,0\n2,1\n", target="a").x, [[0], [1]])
