namespace EphysPipeline.Report.Changes;

/// <summary>
/// Collects per-item changes from the reference epoch and averages them: items (channels, pairs, units) of a region
/// within a session, then sessions of the same subject and drug. Non-finite changes are counted and left out.
/// Everything is summed in input order, so the result does not depend on threads or hashing.
/// </summary>
public sealed class SubjectChanges
{
    private readonly Dictionary<(string Session, string Subject, GroupKey Key), (double Sum, int Count)> _sessions = new();
    private readonly List<(string Session, string Subject, GroupKey Key)> _sessionOrder = [];
    private readonly Dictionary<GroupKey, int> _excluded = new();
    private readonly List<GroupKey> _order = [];
    private readonly HashSet<GroupKey> _known = [];

    public void Add(string session, string subject, GroupKey key, double change)
    {
        if (_known.Add(key)) _order.Add(key);
        if (!double.IsFinite(change))
        {
            _excluded[key] = _excluded.GetValueOrDefault(key) + 1;
            return;
        }
        var sessionKey = (session, subject, key);
        if (_sessions.TryGetValue(sessionKey, out var acc)) _sessions[sessionKey] = (acc.Sum + change, acc.Count + 1);
        else { _sessions[sessionKey] = (change, 1); _sessionOrder.Add(sessionKey); }
    }

    /// <summary>Each session's mean change per group (items averaged), in first-seen order: the mixed model's observations.</summary>
    public IReadOnlyList<SessionValue> SessionValues() =>
        _sessionOrder.Select(k => new SessionValue(k.Session, k.Subject, k.Key, _sessions[k].Sum / _sessions[k].Count)).ToList();

    /// <summary>Every group seen (in first-seen order), with its subjects' values and the count of items left out.</summary>
    public IReadOnlyList<(GroupKey Key, IReadOnlyList<SubjectValue> Subjects, int Excluded)> Finish()
    {
        var subjectSums = new Dictionary<(string Subject, GroupKey Key), (double Sum, int Count)>();
        var subjectOrder = new List<(string Subject, GroupKey Key)>();
        foreach (var sessionKey in _sessionOrder)
        {
            var (sum, count) = _sessions[sessionKey];
            var key = (sessionKey.Subject, sessionKey.Key);
            double sessionMean = sum / count;
            if (subjectSums.TryGetValue(key, out var acc)) subjectSums[key] = (acc.Sum + sessionMean, acc.Count + 1);
            else { subjectSums[key] = (sessionMean, 1); subjectOrder.Add(key); }
        }
        var byGroup = new Dictionary<GroupKey, List<SubjectValue>>();
        foreach (var key in subjectOrder)
        {
            var (sum, count) = subjectSums[key];
            if (!byGroup.TryGetValue(key.Key, out var list)) byGroup[key.Key] = list = [];
            list.Add(new SubjectValue(key.Subject, sum / count));
        }
        return _order.Select(k => (k, (IReadOnlyList<SubjectValue>)(byGroup.TryGetValue(k, out var l) ? l : []), _excluded.GetValueOrDefault(k))).ToList();
    }
}
