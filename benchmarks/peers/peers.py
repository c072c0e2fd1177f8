#!/usr/bin/python3
"""Python peers of `ephys bench`: the same file, epochs and metric definitions, timed stage by stage.

Straightforward numpy/scipy/MNE implementations (what a lab would write), not our code. Stages too slow to run in
full (sample entropy, LZ76, multiscale entropy, and pair loops on many channels) are timed on an evenly spread sample
of windows/pairs and extrapolated linearly; every such stage says so in its "note". On recordings with more channels
than --max-channels, the per-channel stages run on that many channels and are scaled by channels (pairs by pairs).
Run by `ephys bench`; standalone: peers.py --file x.nwb --epochs 20:220,280:960 --out peers.json
"""
import argparse
import json
import math
import sys
import time

import h5py
import mne
import numpy as np
import scipy.signal as ss

BANDS = {"delta": (1, 4), "theta": (6, 10), "beta": (15, 30), "low_gamma": (30, 55), "high_gamma": (65, 100), "hfo": (110, 160)}
PHASE_BANDS = ["theta", "low_gamma"]
PAC_AMP = ["low_gamma", "high_gamma"]
BUDGET_S = 12.0  # per sampled stage
TRAPZ = getattr(np, "trapezoid", None) or np.trapz  # numpy < 2 lacks trapezoid


class Timer:
    def __init__(self):
        self.stages = []

    def add(self, name, maps, seconds, note):
        print(f"peers: {name}: {seconds:.2f} s ({note})", file=sys.stderr, flush=True)
        self.stages.append({"name": name, "maps": maps, "seconds": seconds, "note": note})


def sampled(items, fn, budget=BUDGET_S):
    """Runs fn over an evenly spread subset of items until the budget is spent; returns (extrapolated s, done, total)."""
    n = len(items)
    if n == 0:
        return 0.0, 0, 0
    order = []
    stride = max(1, n // 64)
    for offset in range(stride):
        order.extend(range(offset, n, stride))
    t0 = time.perf_counter()
    done = 0
    for i in order:
        fn(items[i])
        done += 1
        if time.perf_counter() - t0 > budget:
            break
    elapsed = time.perf_counter() - t0
    return elapsed * n / done, done, n


def note_sampled(done, total, what):
    return "full" if done == total else f"{what}: {done} of {total} timed, extrapolated ×{total / done:.1f}"


# --- entropy definitions (antropy's, in plain numpy/python) ---

def perm_entropy(x, order=5, delay=1):
    emb = np.lib.stride_tricks.sliding_window_view(x, (order - 1) * delay + 1)[:, ::delay]
    ranks = emb.argsort(kind="quicksort", axis=1)
    hashes = (ranks * (order ** np.arange(order))).sum(1)
    _, c = np.unique(hashes, return_counts=True)
    p = c / c.sum()
    return -(p * np.log2(p)).sum() / math.log2(math.factorial(order))


def sample_entropy(x, order=2, r_frac=0.2):
    r = r_frac * x.std()
    n = len(x)

    def count(m):
        # Vectorised over blocks of 256 templates; only pairs (i, j > i) among the first n - order templates.
        emb = np.lib.stride_tricks.sliding_window_view(x, m)[: n - order]
        cols = np.arange(len(emb))
        total = 0
        for i in range(0, len(emb) - 1, 256):
            block = emb[i:i + 256]
            d = np.abs(block[:, None, :] - emb[None, :, :]).max(2)
            total += int(((d < r) & (cols[None, :] > (i + np.arange(len(block)))[:, None])).sum())
        return total

    b, a = count(order), count(order + 1)
    return -math.log(a / b) if a > 0 and b > 0 else math.inf


def lz76(x):
    s = (x > np.median(x)).astype(np.uint8).tobytes()
    n = len(s)
    i, k, l, c, kmax = 0, 1, 1, 1, 1
    while True:
        if s[i + k - 1] == s[l + k - 1]:
            k += 1
            if l + k > n:
                c += 1
                break
        else:
            kmax = max(k, kmax)
            i += 1
            if i == l:
                c += 1
                l += kmax
                if l + 1 > n:
                    break
                i, k, kmax = 0, 1, 1
            else:
                k = 1
    return c / (n / math.log2(n))


def spectral_entropy(x, fs, nper):
    f, p = ss.welch(x, fs, nperseg=nper)
    p = p / p.sum()
    p = p[p > 0]
    return -(p * np.log2(p)).sum() / math.log2(len(f))


def multiscale(x, scales=5):
    for s in range(1, scales + 1):
        n = len(x) // s
        sample_entropy(x[: n * s].reshape(n, s).mean(1))


def windows(epochs, length):
    out = []
    for a, b in epochs:
        out.extend(range(a, b - length + 1, length))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    ap.add_argument("--epochs", required=True, help="start:stop seconds, comma separated")
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-channels", type=int, default=32)
    a = ap.parse_args()
    t = Timer()

    t0 = time.perf_counter()
    with h5py.File(a.file, "r") as f:
        d = f["acquisition/ElectricalSeries/data"]
        conv = float(d.attrs.get("conversion", 1.0))
        rate = float(f["acquisition/ElectricalSeries/starting_time"].attrs["rate"])
        n_ch_all = d.shape[1]
        ch = min(n_ch_all, a.max_channels)
        raw = d[:, :ch]
        x = (raw.T.astype(np.float64) * conv)
        spikes = f["units/spike_times"][:]
        ends = f["units/spike_times_index"][:]
        unit_ch = f["units/electrodes"][:]
    load_s = time.perf_counter() - t0
    ch_scale = n_ch_all / ch
    pair_scale = (n_ch_all * (n_ch_all - 1) / 2) / (ch * (ch - 1) / 2)
    scaled = "" if ch == n_ch_all else f"; {ch} of {n_ch_all} channels, scaled ×{ch_scale:.0f}"
    pscaled = "" if ch == n_ch_all else f"; {ch} of {n_ch_all} channels, scaled by pairs ×{pair_scale:.0f}"
    # Chunks span all channels, so reading a channel subset still inflates every chunk: the load is not scaled.
    t.add("h5py load (int16 → float64 volts)", "read", load_s, "whole recording at once" +
          ("" if ch == n_ch_all else f"; every chunk read, {ch} of {n_ch_all} channels converted, not scaled"))
    fs = rate
    epochs = [(int(round(float(s) * fs)), int(round(float(e) * fs))) for s, e in (p.split(":") for p in a.epochs.split(","))]
    segs = [x[:, s:e] for s, e in epochs]

    t0 = time.perf_counter()
    for seg in segs:
        med = np.median(seg, axis=1, keepdims=True)
        np.median(np.abs(seg - med), axis=1)
        seg.std(axis=1)
    t.add("median, MAD, std per channel", "preprocess", (time.perf_counter() - t0) * ch_scale, "numpy, per epoch" + scaled)

    nper = int(2 * fs)
    t0 = time.perf_counter()
    for seg in segs:
        f_, p = ss.welch(seg, fs, nperseg=nper, noverlap=nper // 2, axis=-1)
        for lo, hi in BANDS.values():
            m = (f_ >= lo) & (f_ <= hi)
            TRAPZ(p[:, m], f_[m], axis=-1)
    t.add("scipy.signal.welch + band power", "spectral", (time.perf_counter() - t0) * ch_scale, "per epoch, 2 s Hann, 50 %" + scaled)

    nwin = int(10 * fs)
    jobs = [(c, seg) for c in range(ch) for seg in segs]
    sec, done, total = sampled(jobs, lambda cs: mne.time_frequency.psd_array_multitaper(
        cs[1][cs[0], : (cs[1].shape[1] // nwin) * nwin].reshape(-1, nwin), fs, bandwidth=4.0, normalization="full", verbose=False))
    t.add("MNE psd_array_multitaper", "multitaper", sec * ch_scale, "10 s windows, 4 Hz bandwidth; " + note_sampled(done, total, "channel-epochs") + scaled)

    t0 = time.perf_counter()
    step = int(5 * fs)
    for seg in segs:
        starts = range(0, seg.shape[1] - nwin + 1, step)
        stack = np.stack([seg[:, s:s + nwin] for s in starts], axis=1)
        ss.welch(stack, fs, nperseg=nper, noverlap=nper // 2, axis=-1)
    t.add("scipy.signal.welch on 10 s / 5 s step windows", "spectrogram", (time.perf_counter() - t0) * ch_scale, "stacked windows" + scaled)

    # --- entropy ---
    t0 = time.perf_counter()
    for seg in segs:
        starts = range(0, seg.shape[1] - nwin + 1, nwin)
        stack = np.stack([seg[:, s:s + nwin] for s in starts], axis=1)
        f_, p = ss.welch(stack, fs, nperseg=nper, axis=-1)
        p = p / p.sum(-1, keepdims=True)
        -(np.where(p > 0, p * np.log2(np.where(p > 0, p, 1)), 0)).sum(-1) / math.log2(len(f_))
    t.add("spectral entropy (welch, numpy)", "entropy", (time.perf_counter() - t0) * ch_scale, "10 s windows" + scaled)

    w10 = [(c, s) for c in range(ch) for s in windows(epochs, nwin)]
    w2 = [(c, s) for c in range(ch) for s in windows(epochs, int(2 * fs))]
    sec, done, total = sampled(w10, lambda cw: perm_entropy(x[cw[0], cw[1]:cw[1] + nwin]))
    t.add("permutation entropy (numpy argsort, order 5)", "entropy", sec * ch_scale, note_sampled(done, total, "10 s windows") + scaled)
    sec, done, total = sampled(w2, lambda cw: sample_entropy(x[cw[0], cw[1]:cw[1] + int(2 * fs)]))
    t.add("sample entropy (numpy, blocked Chebyshev)", "entropy", sec * ch_scale, note_sampled(done, total, "2 s windows") + scaled)
    sec, done, total = sampled(w10, lambda cw: lz76(x[cw[0], cw[1]:cw[1] + nwin]))
    t.add("LZ76 (pure Python, Kaspar-Schuster)", "entropy", sec * ch_scale, note_sampled(done, total, "10 s windows") + scaled)
    # O(n²) per window: on windows longer than 10 000 samples time the first 10 000 and scale by (n / 10 000)².
    part = min(nwin, 10000)
    sec, done, total = sampled(w10, lambda cw: multiscale(x[cw[0], cw[1]:cw[1] + part]))
    shrink = "" if part == nwin else f"; timed on the first {part} samples, scaled ×{(nwin / part) ** 2:.2f} (O(n²))"
    t.add("multiscale sample entropy (scales 1-5)", "entropy", sec * (nwin / part) ** 2 * ch_scale,
          note_sampled(done, total, "10 s windows") + shrink + scaled)

    # --- phase ---
    analytic = {}
    t0 = time.perf_counter()
    for band in sorted(set(PHASE_BANDS + PAC_AMP)):
        lo, hi = BANDS[band]
        analytic[band] = [ss.hilbert(mne.filter.filter_data(seg, fs, lo, hi, verbose=False), axis=-1) for seg in segs]
    t.add("MNE filter_data + scipy hilbert", "phase", (time.perf_counter() - t0) * ch_scale, "theta, low and high gamma, per epoch" + scaled)

    t0 = time.perf_counter()
    for band in PHASE_BANDS:
        for z in analytic[band]:
            u = z / np.abs(z)
            np.abs(u @ u.conj().T) / z.shape[1]
    t.add("all-pairs PLV (numpy matmul, OpenBLAS)", "phase", (time.perf_counter() - t0) * pair_scale, "unit phasors, Z·Zᴴ" + pscaled)

    pairs = [(band, e, i, j) for band in PHASE_BANDS for e in range(len(segs)) for i in range(ch) for j in range(i + 1, ch)]

    def wpli(item):
        band, e, i, j = item
        im = (analytic[band][e][i] * analytic[band][e][j].conj()).imag
        return abs(im.sum()) / np.abs(im).sum()
    sec, done, total = sampled(pairs, wpli)
    t.add("all-pairs wPLI (numpy per pair)", "phase", sec * pair_scale, note_sampled(done, total, "pairs") + pscaled)

    t0 = time.perf_counter()
    win = ss.get_window("hann", nper)
    for seg in segs:
        n = (seg.shape[1] - nper) // (nper // 2) + 1
        frames = np.stack([seg[:, k * (nper // 2): k * (nper // 2) + nper] for k in range(n)], axis=1)
        frames = frames - frames.mean(-1, keepdims=True)
        X = np.fft.rfft(frames * win, axis=-1)
        freqs = np.fft.rfftfreq(nper, 1 / fs)
        for band in PHASE_BANDS:
            lo, hi = BANDS[band]
            Xb = X[:, :, (freqs >= lo) & (freqs <= hi)]
            sxy = np.einsum("isf,jsf->ijf", Xb, Xb.conj()) / n
            sxx = np.real(np.einsum("isf,isf->if", Xb, Xb.conj())) / n
            np.abs(sxy) ** 2 / (sxx[:, None] * sxx[None, :])
    t.add("coherence (Welch segments, numpy einsum)", "phase", (time.perf_counter() - t0) * pair_scale, "per epoch and band" + pscaled)

    t0 = time.perf_counter()
    starts = np.concatenate([[0], ends[:-1]])
    for e, (s, stop) in enumerate(epochs):
        phase = np.angle(analytic["theta"][e])
        for u in range(len(ends)):
            c = int(unit_ch[u])
            if c >= ch:
                continue
            t_ = spikes[starts[u]:ends[u]]
            idx = np.round(t_ * fs).astype(np.int64) - s
            idx = idx[(idx >= 0) & (idx < phase.shape[1])]
            if len(idx) < 2:
                continue
            v = np.exp(1j * phase[c, idx])
            n = len(v)
            (abs(v.sum()) ** 2 - n) / (n * (n - 1))
    t.add("spike-field PPC (numpy)", "phase", (time.perf_counter() - t0) * ch_scale, "theta, unit's own channel" + scaled)

    t0 = time.perf_counter()
    edges = np.linspace(-np.pi, np.pi, 19)
    for e in range(len(segs)):
        phase = np.angle(analytic["theta"][e])
        for band in PAC_AMP:
            amp = np.abs(analytic[band][e])
            for c in range(ch):
                b = np.clip(np.digitize(phase[c], edges) - 1, 0, 17)
                m = np.bincount(b, amp[c], 18) / np.maximum(np.bincount(b, None, 18), 1)
                p = m / m.sum()
                (math.log(18) + (p * np.log(np.where(p > 0, p, 1))).sum()) / math.log(18)
    t.add("Tort modulation index (numpy)", "phase", (time.perf_counter() - t0) * ch_scale, "theta × low/high gamma, 18 bins" + scaled)

    with open(a.out, "w") as f:
        json.dump({"channels": n_ch_all, "channels_timed": ch, "stages": t.stages}, f, indent=1)


if __name__ == "__main__":
    main()
