using System.Diagnostics;
using EphysPipeline.Core;
using EphysPipeline.Preprocessing;
using EphysPipeline.Preprocessing.Quality;
using EphysPipeline.Preprocessing.Recordings;
using EphysPipeline.Study.Config;
using EphysPipeline.Study.Execution.Stages;
using EphysPipeline.Study.Manifest;
using EphysPipeline.Study.Outputs;

namespace EphysPipeline.Study.Execution;

/// <summary>
/// Analyses one session in one streaming pass: open → preprocess (bad channels, re-reference, decimate, notch,
/// artifacts) → read the recording block by block, each block handed to every metric stage for the epoch it lies
/// in → per-epoch results. Memory is bounded by the block size, whatever the recording length.
/// </summary>
public sealed class SessionAnalyzer(
    StudyManifest manifest,
    AnalysisConfig config,
    MemoryBudget budget,
    int threads,
    ComputeBackends backends,
    Action<double> progress,
    Action<string> warn,
    Action? passEnded = null)
{
    /// <summary>The stage the analysis is in (reported with a failure).</summary>
    public string Stage
    {
        get => _stage;
        private set
        {
            _stage = value;
            StageChanged?.Invoke(value);
        }
    }

    private string _stage = "open";

    /// <summary>Raised as the analysis enters each stage (a worker process tells its parent, which outlives a crash).</summary>
    public event Action<string>? StageChanged;

    public SessionResult Analyze(SessionSpec spec)
    {
        var clock = Stopwatch.StartNew();
        Stage = "open";
        using var source = SessionSource.Open(spec, manifest.States, manifest.Regions, manifest.Units, threads);
        double injection = source.InjectionTime(spec);
        var opened = clock.Elapsed;
        foreach (var note in source.Notes) warn(note);
        if (source.UnitsInTable > 0 && source.Units.Count == 0)
            warn($"no unit of the {source.UnitsInTable} in the units table passes the manifest's units: filter");

        Stage = "preprocessing";
        using var prepared = Preprocessor.Prepare(source.Recording, PreprocessingOptionsFor(spec), backends.Fft, threads);
        var preprocessed = clock.Elapsed - opened;
        var recording = prepared.Recording;
        foreach (var bad in prepared.BadChannels.Bad)
            warn($"channel {bad.ElectrodeId} excluded ({bad.Reason}: {bad.Detail})");

        Stage = "epochs";
        var epochs = EpochPlanner.Plan(manifest.Epochs, spec, recording, injection, prepared.Artifacts);

        Stage = "states";
        var statesClock = Stopwatch.StartNew();
        var states = StateResolver.Resolve(source.States, recording, prepared.Artifacts, epochs, backends.Fft, threads, warn);
        var statesTime = statesClock.Elapsed;

        Stage = "analysis";
        var context = new StageContext(config, recording.SampleRate, recording.Channels, threads, backends, warn);
        var result = new SessionResult { Summary = Summary(source.Recording, recording, prepared, epochs, states), ProbeOf = source.ProbeOf };
        result.AddTime("open", opened);
        result.AddTime("preprocess", preprocessed);
        if (states.Count > 0) result.AddTime("states", statesTime);
        var passes = states.Select(s => Eligible(s, epochs, recording.SampleRate)).ToList();
        int total = 1 + passes.Count(p => p.Count > 0), done = 0;
        Action<double> Progress() { int k = done++; return f => progress((k + f) / total); }

        using var spikeTrains = SpikeTrains(source, recording, result);
        var stages = CreateStages(context, source.Units, spikeTrains, recording.StartTime, injection, spectrogram: true);
        try
        {
            Pass(recording, prepared.Artifacts, epochs, stages, result, Progress());
            EndPass(stages);
            foreach (var stage in stages) Timed(result, stage, () => stage.Finish(result));
        }
        finally
        {
            foreach (var stage in stages) stage.Dispose();
        }

        for (int i = 0; i < states.Count; i++)
        {
            var state = states[i];
            var inState = new SessionResult { Summary = result.Summary };
            if (passes[i].Count > 0)
            {
                var stateStages = CreateStages(context, source.Units, spikeTrains, recording.StartTime, injection, spectrogram: false);
                try
                {
                    Pass(recording, state.Excluded, passes[i], stateStages, inState, Progress());
                    EndPass(stateStages);
                    foreach (var stage in stateStages) Timed(inState, stage, () => stage.Finish(inState));
                }
                finally
                {
                    foreach (var stage in stateStages) stage.Dispose();
                }
            }
            MergeState(result, inState, state, epochs, passes[i], recording.SampleRate);
        }
        return result;
    }

    private void EndPass(List<IBlockStage> stages)
    {
        foreach (var stage in stages) stage.EndPass();
        passEnded?.Invoke();
    }

    /// <summary>
    /// The analysed units' spikes on the prepared recording's grid, when spike–field locking runs. Spikes outside the
    /// recording take part in no epoch; a warning says how many, so a clock mismatch is seen.
    /// </summary>
    private SpikeTrainStore? SpikeTrains(SessionSource source, IRecording recording, SessionResult result)
    {
        if (source.Units.Count == 0 || !config.Phase.Enabled || !config.Phase.SpikeField.Enabled) return null;
        Stage = "spikes";
        var clock = Stopwatch.StartNew();
        double t0 = source.Recording.StartTime, t1 = t0 + source.Recording.SampleCount / source.Recording.SampleRate;
        var store = SpikeTrainStore.Build(source.Units, source.ReadSpikeTimes, recording.StartTime, recording.SampleRate, recording.SampleCount, (t0, t1));
        var outside = source.Units.Select((u, k) => (u.Id, Count: store.Outside[k])).Where(u => u.Count > 0).ToList();
        if (outside.Count > 0)
            warn($"{outside.Sum(u => u.Count)} spike(s) of {outside.Count} unit(s) (ids {string.Join(", ", outside.Take(5).Select(u => u.Id))}{(outside.Count > 5 ? ", …" : "")}) lie outside the recording [{t0:0.###}, {t1:0.###}) s and are ignored");
        result.AddTime("spikes", clock.Elapsed);
        Stage = "analysis";
        return store;
    }

    /// <summary>The epochs with at least the state's minimum clean time in it (none when its source is missing).</summary>
    private static List<EpochPlan> Eligible(SessionState state, IReadOnlyList<EpochPlan> epochs, double fs) =>
        state.Problem is not null ? [] : epochs.Where(e => CleanSeconds(state, e, fs) is var t && t > 0 && t >= state.Definition.MinTimeS).ToList();

    private static double CleanSeconds(SessionState state, EpochPlan epoch, double fs) =>
        (epoch.Length - state.Excluded.RejectedWithin(epoch.Start, epoch.Stop)) / fs;

    /// <summary>
    /// Adds a state's rows, labelled with the state, in epoch order; an epoch without enough clean time in the state
    /// (or a state whose source is missing) gets the unstratified rows' shape with NaN values and the reason.
    /// </summary>
    private static void MergeState(SessionResult result, SessionResult inState, SessionState state, IReadOnlyList<EpochPlan> epochs,
        IReadOnlyList<EpochPlan> computed, double fs)
    {
        string name = state.Name;
        var all = result.Metrics.Where(m => m.State == StateNames.All).ToList();
        var allPairs = result.Pairs.Where(p => p.State == StateNames.All).ToList();
        var allUnits = result.Units.Where(u => u.State == StateNames.All).ToList();
        foreach (var epoch in epochs.OrderBy(e => e.Start))
        {
            if (computed.Contains(epoch))
            {
                result.Metrics.AddRange(inState.Metrics.Where(m => m.Epoch == epoch.Name).Select(m => m with { State = name }));
                foreach (var p in inState.Pairs.Where(p => p.Epoch == epoch.Name)) result.Pairs.Add(p with { State = name });
                result.Units.AddRange(inState.Units.Where(u => u.Epoch == epoch.Name).Select(u => u with { State = name }));
                result.Spectra.AddRange(inState.Spectra.Where(a => a.Epoch == epoch.Name).Select(a => a with { Name = $"{a.Name}@{name}", State = name }));
                continue;
            }
            string reason = state.Problem is { } problem ? $"state {name}: {problem}"
                : $"state {name}: {CleanSeconds(state, epoch, fs):0.#} s of clean time in the state (min_time_s {state.Definition.MinTimeS:0.###})";
            result.Metrics.AddRange(all.Where(m => m.Epoch == epoch.Name).Select(m => m with { State = name, Value = double.NaN, Windows = 0, Status = reason }));
            foreach (var p in allPairs.Where(p => p.Epoch == epoch.Name)) result.Pairs.Add(p with { State = name, Value = double.NaN });
            result.Units.AddRange(allUnits.Where(u => u.Epoch == epoch.Name).Select(u => u with
            {
                State = name, Spikes = 0, FiringRateHz = double.NaN, Plv = double.NaN, Ppc = double.NaN, RayleighZ = double.NaN,
                RayleighP = double.NaN, PreferredPhaseRad = double.NaN, Status = reason,
            }));
        }
        foreach (var (step, time) in inState.Timings) result.AddTime($"state {name}: {step}", time);
    }

    private List<IBlockStage> CreateStages(StageContext context, IReadOnlyList<UnitInfo> units, SpikeTrainStore? spikeTrains, double startTime, double injection, bool spectrogram)
    {
        var stages = new List<IBlockStage>();
        if (config.Spectral.Enabled) stages.Add(new SpectralStage(context));
        if (config.Spectral.Enabled && config.Spectral.Multitaper.Enabled) stages.Add(new MultitaperStage(context));
        if (spectrogram && config.Spectral.Enabled && config.Spectral.Spectrogram.Enabled) stages.Add(new SpectrogramStage(context, startTime, injection));
        if (config.Entropy.Enabled) stages.Add(new EntropyStage(context));
        if (config.Phase.Enabled) stages.Add(new PhaseStage(context, units, spikeTrains));
        return stages;
    }

    /// <summary>Threads per session from which the next block is read while the current one is analysed.</summary>
    public const int ReadAheadThreads = 4;

    private void Pass(IRecording recording, ArtifactMask artifacts, IReadOnlyList<EpochPlan> epochs, List<IBlockStage> stages, SessionResult result,
        Action<double> progress)
    {
        bool wholeSession = stages.Any(s => s.WantsAllBlocks);
        int margin = stages.Count == 0 ? 0 : stages.Max(s => s.Margin);
        var plan = PlanBlocks(recording, epochs, wholeSession, BlockSamples(recording, margin));
        if (plan.Count == 0) return;
        var channels = Enumerable.Range(0, recording.Channels.Count).ToArray();
        long first = plan[0].Start, last = plan[^1].Stop;

        // With ReadAheadThreads or more, the next block is read (HDF5, decoding, preprocessing filters) while the stages
        // analyse this one, so there are two. With fewer, the stages keep every thread busy and reading alongside only
        // added time and memory (measured on 2 cores): each block is read when it is needed, into the one buffer.
        // Sized once for the longest block, so no shorter first block leaves its array behind as garbage.
        bool readAhead = threads >= ReadAheadThreads;
        long longest = plan.Max(p => Block.ExtendedLength(recording, p.Start, (int)(p.Stop - p.Start), margin));
        var blocks = Enumerable.Range(0, readAhead ? 2 : 1).Select(_ => new Block(checked((int)(channels.Length * longest)))).ToArray();
        TimeSpan Read(int k)
        {
            var clock = Stopwatch.StartNew();
            var (start, stop, epoch) = plan[k];
            blocks[k % blocks.Length].Load(recording, channels, start, (int)(stop - start), margin, epoch, artifacts);
            return clock.Elapsed;
        }
        Task<TimeSpan> Load(int k) => readAhead ? Task.Run(() => Read(k)) : new Task<TimeSpan>(() => Read(k));
        var pending = Load(0);
        EpochPlan? current = null;
        long lastPieceEnd = -1;
        try
        {
            for (int k = 0; k < plan.Count; k++)
            {
                var (position, next, epoch) = plan[k];
                if (!ReferenceEquals(epoch, current))
                {
                    if (current is not null) foreach (var s in stages) Timed(result, s, () => s.EndEpoch(current, result));
                    current = epoch;
                    if (current is not null) foreach (var s in stages) Timed(result, s, () => s.BeginEpoch(current));
                    lastPieceEnd = -1;
                }

                var wait = Stopwatch.StartNew();
                if (pending.Status == TaskStatus.Created) pending.RunSynchronously();
                var loaded = pending.GetAwaiter().GetResult();
                result.AddTime("read", wait.Elapsed);
                result.AddTime("read (prefetched)", loaded);
                var block = blocks[k % blocks.Length];
                if (k + 1 < plan.Count) pending = Load(k + 1);
                foreach (var run in artifacts.CleanRuns(position, next))
                {
                    block.Pieces.Add(new Piece(run.Start, (int)run.Length, run.Start != lastPieceEnd));
                    lastPieceEnd = run.Stop;
                }
                foreach (var s in stages)
                    if (epoch is not null || s.WantsAllBlocks) Timed(result, s, () => s.Consume(block));
                progress((double)(next - first) / Math.Max(1, last - first));
            }
        }
        finally
        {
            // A stage that failed leaves a read in flight: it must end before the recording is closed.
            if (pending.Status != TaskStatus.Created)
            {
                try { pending.Wait(); } catch (AggregateException) { }
            }
        }
        if (current is not null) foreach (var s in stages) Timed(result, s, () => s.EndEpoch(current, result));
    }

    /// <summary>
    /// The pass's blocks in order: [Start, Stop) of at most <paramref name="blockSamples"/>, split at epoch bounds, with
    /// the epoch each lies in (null between epochs, which only a whole-session pass visits).
    /// </summary>
    private static List<(long Start, long Stop, EpochPlan? Epoch)> PlanBlocks(IRecording recording, IReadOnlyList<EpochPlan> epochs, bool wholeSession,
        int blockSamples)
    {
        var plan = new List<(long, long, EpochPlan?)>();
        if (epochs.Count == 0 && !wholeSession) return plan;
        long first = wholeSession ? 0 : epochs.Min(e => e.Start);
        long last = wholeSession ? recording.SampleCount : epochs.Max(e => e.Stop);
        var boundaries = epochs.SelectMany(e => new[] { e.Start, e.Stop }).Where(b => b > first && b < last).Order().ToList();
        long position = first;
        while (position < last)
        {
            var epoch = epochs.FirstOrDefault(e => e.Start <= position && position < e.Stop);
            long next = Math.Min(last, position + blockSamples);
            var boundary = boundaries.FirstOrDefault(b => b > position);
            if (boundary > position && boundary < next) next = boundary;
            if (epoch is null && !wholeSession)
            {
                position = epochs.Where(e => e.Start > position).Select(e => e.Start).DefaultIfEmpty(last).Min();
                continue;
            }
            plan.Add((position, next, epoch));
            position = next;
        }
        return plan;
    }

    private static void Timed(SessionResult result, IBlockStage stage, Action work)
    {
        var clock = Stopwatch.StartNew();
        work();
        result.AddTime(stage.Name, clock.Elapsed);
    }

    /// <summary>Block length: execution.block_s, lowered so that the block and the stages' per-sample state fit the budget.</summary>
    private int BlockSamples(IRecording recording, int margin)
    {
        int channels = recording.Channels.Count;
        long bytesPerSample = MemoryEstimate.BlockBytesPerSample(config, channels, config.Phase.Enabled);
        long byBudget = Math.Max(1, budget.BytesPerSession / Math.Max(1, bytesPerSample)) - 2L * margin;
        long byConfig = (long)Math.Round(config.Execution.BlockS * recording.SampleRate);
        long samples = Math.Min(byConfig, byBudget);
        long floor = Math.Max(recording.PreferredBlockSamples, (long)recording.SampleRate);
        return (int)Math.Clamp(samples, Math.Min(floor, byConfig), int.MaxValue / Math.Max(1, channels * 2));
    }

    private PreprocessingOptions PreprocessingOptionsFor(SessionSpec spec)
    {
        var p = config.Preprocessing;
        return new PreprocessingOptions(
            DecimationFactor: p.Decimate,
            NotchBaseHz: p.Notch.BaseHz,
            NotchHarmonics: p.Notch.Harmonics,
            Reference: p.Reference switch
            {
                "average" => ReferenceMode.CommonAverage,
                "median" => ReferenceMode.CommonMedian,
                "bipolar" => ReferenceMode.Bipolar,
                _ => ReferenceMode.None,
            },
            BipolarPairs: p.BipolarPairs.Select(pair => new BipolarPair(pair[0], pair[1])).ToList(),
            BadChannels: new BadChannelOptions(
                FlatFraction: p.BadChannels.Detect ? p.BadChannels.FlatStdFraction : 0,
                ClippedFraction: p.BadChannels.Detect ? p.BadChannels.ClippedFraction : double.PositiveInfinity,
                Listed: spec.BadChannels),
            Artifacts: p.Artifacts.Enabled ? new ArtifactOptions(p.Artifacts.K, p.Artifacts.DilateS) : null,
            Thinning: new ChannelThinning(manifest.Regions.Step, manifest.Regions.MaxPerRegion));
    }

    private SessionSummary Summary(IRecording raw, IRecording analysed, PreparedRecording prepared, IReadOnlyList<EpochPlan> epochs,
        IReadOnlyList<SessionState> states)
    {
        double t0 = analysed.StartTime, fs = analysed.SampleRate;
        return new("ok", "", "", raw.SampleCount / raw.SampleRate, analysed.SampleRate, raw.Channels.Count, prepared.BadChannels.Good.Count,
            prepared.BadChannels.Bad.Select(b => b.ElectrodeId).ToList(),
            epochs.Select(e => new EpochSummary(e.Name, e.StartS, e.EndS, e.RejectedFraction)
            {
                StateSeconds = states.ToDictionary(s => s.Name, s => s.SecondsWithin(t0 + e.Start / fs, t0 + e.Stop / fs)),
            }).ToList())
        { States = manifest.StateNames };
    }
}
