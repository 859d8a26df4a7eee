#!/usr/bin/env python3
"""The input streams of river's drift docstring examples, as JSON, for the Vitest tests beside them.

river's docstrings draw their streams from Python's own `random` (Mersenne Twister), which this
script reproduces exactly without river itself. What river printed is copied here from the
docstrings (river/drift/adwin.py, river/drift/binary/ddm.py) so that the JSON holds both the
stream and the indices a faithful port must report.

    python3 main/core/monitoring/stats/testing/river-streams.py > main/core/monitoring/stats/testing/river-streams.json
"""
import json
import random


def adwin_example():
    # river.drift.ADWIN docstring:
    #   rng = random.Random(12345)
    #   data_stream = rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)
    #   -> "Change detected at index 1023, input value: 4"
    rng = random.Random(12345)
    stream = rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)
    return {
        "source": "river/drift/adwin.py docstring: random.Random(12345), "
        "choices([0, 1], k=1000) + choices(range(4, 8), k=1000), ADWIN() defaults",
        "stream": stream,
        "drifts": [{"index": 1023, "value": 4}],
    }


def ddm_example():
    # river.drift.binary.DDM docstring:
    #   rng = random.Random(42)
    #   data_stream = rng.choices([0, 1], k=1000)
    #   data_stream = data_stream + rng.choices([0, 1], k=1000, weights=[0.3, 0.7])
    #   -> Warning detected at index 1084 / Change detected at index 1334 / Warning detected at index 1492
    #   (a warning is printed only for the first warning after the start or after a drift)
    rng = random.Random(42)
    stream = rng.choices([0, 1], k=1000)
    stream = stream + rng.choices([0, 1], k=1000, weights=[0.3, 0.7])
    return {
        "source": "river/drift/binary/ddm.py docstring: random.Random(42), choices([0, 1], k=1000) + "
        "choices([0, 1], k=1000, weights=[0.3, 0.7]), DDM() defaults",
        "stream": stream,
        "printed": [
            {"event": "warning", "index": 1084},
            {"event": "drift", "index": 1334},
            {"event": "warning", "index": 1492},
        ],
    }


if __name__ == "__main__":
    print(json.dumps({"adwin": adwin_example(), "ddm": ddm_example()}, separators=(",", ":")))
