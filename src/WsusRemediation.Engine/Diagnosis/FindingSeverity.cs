namespace WsusRemediation.Engine.Diagnosis
{
    /// <summary>
    /// How much a finding matters. Ordered so that a larger value is worse: sorting by severity
    /// descending puts what stops synchronization first.
    /// </summary>
    public enum FindingSeverity
    {
        /// <summary>Worth knowing; nothing is wrong because of it.</summary>
        Information = 0,
        /// <summary>Not failing yet, or a contributing setting.</summary>
        Warning = 1,
        /// <summary>Makes synchronization fail or return nothing.</summary>
        Error = 2,
        /// <summary>Synchronization cannot work until this is fixed.</summary>
        Critical = 3,
    }
}
