#!/usr/bin/env python3
"""The input streams of river's drift docstring examples, as JSON, for the Vitest tests beside them.

river's docstrings draw their streams from Python's own `random` (Mersenne Twister), which this
script reproduces exactly without river itself. What river printed is copied here from the
docstrings (river/drift/adwin.py, river/drift/binary/ddm.py) so that the JSON holds both the
stream and the indices a faithful port must report.

river itself cannot be installed here, so the script also carries a line-for-line transcription
of river's ADWIN (adwin_c.pyx) and DDM in plain Python. It refuses to write anything unless the
transcriptions print what the docstrings print; then it runs them on a few more streams (clock 1,
a gradual change, real-valued losses, other options) whose detections land under "transcribed".

    python3 main/core/monitoring/stats/testing/river-streams.py > main/core/monitoring/stats/testing/river-streams.json
"""
import json
import math
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


class TranscribedAdwin:
    """river's ADWIN (river/drift/adwin.py over adwin_c.pyx), transcribed line for line into plain
    Python because river itself cannot be installed here. Only what decides a detection is kept
    (the per-cut variances v0, v1 that river computes but never reads are left out). It must
    print what river's docstring prints (checked in __main__) before it may speak for other
    streams."""

    def __init__(self, delta=0.002, clock=32, max_buckets=5, min_window_length=5, grace_period=10):
        self.delta, self.clock, self.max_buckets = delta, clock, max_buckets
        self.min_window_length, self.grace_period = min_window_length, grace_period
        self.drift_detected = False
        self._reset()

    def _reset(self):
        self.rows = [[]]  # rows[i]: [total, variance] buckets of 2**i values, oldest first
        self.total = 0.0
        self.variance = 0.0
        self.width = 0.0
        self.tick = 0

    def update(self, x):
        if self.drift_detected:
            self._reset()
        self._insert(float(x))
        self.drift_detected = self._detect_change()
        return self.drift_detected

    def _insert(self, value):
        self.rows[0].append([value, 0.0])
        self.width += 1
        incremental_variance = 0.0
        if self.width > 1.0:
            incremental_variance = (
                (self.width - 1.0) * (value - self.total / (self.width - 1.0)) * (value - self.total / (self.width - 1.0)) / self.width
            )
        self.variance += incremental_variance
        self.total += value
        idx = 0
        while idx < len(self.rows):
            bucket = self.rows[idx]
            if len(bucket) != self.max_buckets + 1:
                break
            if idx + 1 == len(self.rows):
                self.rows.append([])
            next_bucket = self.rows[idx + 1]
            n1 = n2 = pow(2, idx)
            mu1 = bucket[0][0] / n1
            mu2 = bucket[1][0] / n2
            total12 = bucket[0][0] + bucket[1][0]
            temp = n1 * n2 * (mu1 - mu2) * (mu1 - mu2) / (n1 + n2)
            v12 = bucket[0][1] + bucket[1][1] + temp
            next_bucket.append([total12, v12])
            del bucket[:2]
            if len(next_bucket) <= self.max_buckets:
                break
            idx += 1

    def _delete_element(self):
        bucket = self.rows[-1]
        n = pow(2, len(self.rows) - 1)
        u, v = bucket[0]
        mu = u / n
        self.width -= n
        self.total -= u
        mu_window = self.total / self.width
        self.variance -= v + n * self.width * (mu - mu_window) * (mu - mu_window) / (n + self.width)
        del bucket[0]
        if not bucket:
            self.rows.pop()
        return n

    def _detect_change(self):
        change_detected = False
        self.tick += 1
        if (self.tick % self.clock == 0) and (self.width > self.grace_period):
            reduce_width = True
            while reduce_width:
                reduce_width = False
                exit_flag = False
                n0, n1, u0, u1 = 0.0, self.width, 0.0, self.total
                for idx in range(len(self.rows) - 1, -1, -1):
                    if exit_flag:
                        break
                    bucket = self.rows[idx]
                    for k in range(len(bucket) - 1):
                        n0 += pow(2, idx)
                        n1 -= pow(2, idx)
                        u0 += bucket[k][0]
                        u1 -= bucket[k][0]
                        delta_mean = (u0 / n0) - (u1 / n1)
                        if n1 >= self.min_window_length and n0 >= self.min_window_length and self._evaluate_cut(n0, n1, delta_mean):
                            reduce_width = True
                            change_detected = True
                            if self.width > 0:
                                n0 -= self._delete_element()
                                exit_flag = True
                                break
        return change_detected

    def _evaluate_cut(self, n0, n1, delta_mean):
        delta_prime = math.log(2 * math.log(self.width) / self.delta)
        m_recip = (1.0 / (n0 - self.min_window_length + 1)) + (1.0 / (n1 - self.min_window_length + 1))
        epsilon = math.sqrt(2 * m_recip * (self.variance / self.width) * delta_prime) + 2 / 3 * delta_prime * m_recip
        return math.fabs(delta_mean) > epsilon


class TranscribedDdm:
    """river's drift.binary.DDM (river/drift/binary/ddm.py, with stats.Mean), line for line."""

    def __init__(self, warm_start=30, warning_threshold=2.0, drift_threshold=3.0):
        self.warm_start, self.warning_threshold, self.drift_threshold = warm_start, warning_threshold, drift_threshold
        self.drift_detected = False
        self._reset()

    def _reset(self):
        self.drift_detected = False
        self.warning_detected = False
        self.n, self.mean = 0, 0.0
        self.p_min, self.s_min, self.ps_min = None, None, float("inf")

    def update(self, x):
        if self.drift_detected:
            self._reset()
        self.n += 1.0
        self.mean += 1.0 * (x - self.mean) / self.n
        p_i, n = self.mean, self.n
        s_i = math.sqrt(p_i * (1 - p_i) / n)
        if n > self.warm_start:
            if p_i + s_i <= self.ps_min:
                self.p_min, self.s_min, self.ps_min = p_i, s_i, p_i + s_i
            self.warning_detected = p_i + s_i > self.p_min + self.warning_threshold * self.s_min
            if p_i + s_i > self.p_min + self.drift_threshold * self.s_min:
                self.drift_detected = True
                self.warning_detected = False


def adwin_detections(stream, **options):
    adwin = TranscribedAdwin(**options)
    return [i for i, x in enumerate(stream) if adwin.update(x)]


def ddm_verdicts(stream):
    ddm = TranscribedDdm()
    verdicts = []
    for x in stream:
        ddm.update(x)
        verdicts.append("drift" if ddm.drift_detected else "warning" if ddm.warning_detected else "stable")
    return verdicts


def changes(verdicts):
    """The verdicts as [index, verdict] wherever the verdict differs from the row before ('stable' before the first)."""
    return [[i, v] for i, v in enumerate(verdicts) if v != (verdicts[i - 1] if i > 0 else "stable")]


def printed(verdicts):
    lines, print_warning = [], True
    for i, verdict in enumerate(verdicts):
        if verdict == "warning" and print_warning:
            lines.append({"event": "warning", "index": i})
            print_warning = False
        if verdict == "drift":
            lines.append({"event": "drift", "index": i})
            print_warning = True
    return lines


def transcription_cases(adwin, ddm):
    """Streams beyond the docstrings, with what the transcriptions detect on them."""
    rng = random.Random(2024)
    rising = [1 if rng.random() < 0.1 + 0.4 * i / 4000 else 0 for i in range(4000)]
    losses = [round(rng.random() * (1 if i < 1500 else 1.6), 3) for i in range(3000)]
    errors = [1 if rng.random() < (0.15, 0.4, 0.1, 0.3)[i // 1000] else 0 for i in range(4000)]
    return {
        "adwin": [
            {"name": "docstring stream, clock 1", "options": {"clock": 1}, "stream": adwin["stream"], "detections": adwin_detections(adwin["stream"], clock=1)},
            {"name": "error rate rising 0.1 to 0.5", "options": {}, "stream": rising, "detections": adwin_detections(rising)},
            {"name": "losses scaled by 1.6 at 1500, delta 0.01, 3 buckets", "options": {"delta": 0.01, "maxBuckets": 3}, "stream": losses, "detections": adwin_detections(losses, delta=0.01, max_buckets=3)},
        ],
        "ddm": [
            {"name": "error rate 0.15, 0.4, 0.1, 0.3 by thousands", "stream": errors, "changes": changes(ddm_verdicts(errors))},
        ],
    }


if __name__ == "__main__":
    adwin, ddm = adwin_example(), ddm_example()
    # The transcriptions must say what river's docstrings say before they may speak for other streams.
    assert [{"index": i, "value": adwin["stream"][i]} for i in adwin_detections(adwin["stream"])] == adwin["drifts"]
    assert printed(ddm_verdicts(ddm["stream"])) == ddm["printed"]
    print(json.dumps({"adwin": adwin, "ddm": ddm, "transcribed": transcription_cases(adwin, ddm)}, separators=(",", ":")))
