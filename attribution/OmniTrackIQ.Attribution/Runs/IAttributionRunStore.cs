using OmniTrackIQ.Attribution.Identity;
using OmniTrackIQ.Attribution.Journeys;

namespace OmniTrackIQ.Attribution.Runs;

/// <summary>
/// The store side of an attribution run (<see cref="AttributionOrchestrator"/> holds the rules): a store only moves
/// data. One session per run of one workspace.
/// </summary>
public interface IAttributionRunStore
{
    /// <summary>Reads the run state and the newest load mark of <paramref name="workspace"/>.</summary>
    Task<IAttributionRunSession> BeginRunAsync(string workspace, CancellationToken cancellationToken);
}

/// <summary>One run's reads of a store, in the order the orchestrator makes them.</summary>
public interface IAttributionRunSession : IAsyncDisposable
{
    RunMark Mark { get; }

    /// <summary>
    /// Adds the identity links (<see cref="IdentityKeys.LinksOf"/>) of the events loaded since the mark (nothing when none
    /// was), and whatever else a store keeps of those events for this run's reads (DuckDB: their journey rows).
    /// </summary>
    Task AddLinksSinceMarkAsync(CancellationToken cancellationToken);

    /// <summary>Every identity link of the workspace (a full run).</summary>
    IAsyncEnumerable<IdentityLink> LinksAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The identity links that name one of <paramref name="keys"/> — at least; a store that keeps its people between runs
    /// also gives those of every key it stored as the same person as one of them (<see cref="IdentityClosure"/> asks
    /// again for the keys the answer names, until the components are closed).
    /// </summary>
    IAsyncEnumerable<IdentityLink> LinksOfPeopleAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>
    /// The first identity key (<see cref="IdentityKeys.EventKeyOrder"/>) of every event loaded since the mark, and the
    /// stored person of any order those events report again (its conversion may move to another person).
    /// </summary>
    IAsyncEnumerable<string> KeysTouchedSinceMarkAsync(CancellationToken cancellationToken);

    /// <summary>The first identity key of every conversion event at from ≤ ts &lt; to (null bounds are open).</summary>
    IAsyncEnumerable<string> KeysConvertingInAsync(DateTime? from, DateTime? to, CancellationToken cancellationToken);

    /// <summary>Gives the store the people map of <paramref name="scope"/>, which the journey stream joins.</summary>
    Task MapPeopleAsync(JourneyScope scope, CancellationToken cancellationToken);

    /// <summary>How many journeys <see cref="JourneysAsync"/> will yield, or null when a store cannot tell without reading them.</summary>
    Task<int?> CountJourneysAsync(CancellationToken cancellationToken);

    /// <summary>The journeys of the mapped people (everyone's on a full run), one person at a time, assembled by <see cref="JourneyAssembler"/>.</summary>
    IAsyncEnumerable<PersonJourney> JourneysAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Starts replacing the results of <paramref name="scope"/> (of the whole workspace when it is not partial); a store
    /// that keeps its people replaces theirs too (<see cref="PersonMap.Rows"/> of the scope's keys, or of every key).
    /// </summary>
    Task<IAttributionResultWriter> BeginWritesAsync(JourneyScope scope, CancellationToken cancellationToken);
}

/// <summary>A run's writes: nothing of them is visible to readers until <see cref="CommitAsync"/>.</summary>
public interface IAttributionResultWriter : IAsyncDisposable
{
    ValueTask WriteAsync(PersonJourney journey, JourneyResult result, CancellationToken cancellationToken);

    /// <summary>The workspace's current paths, this run's included, summed per path and ordered by path.</summary>
    Task<IReadOnlyList<Paths.PathCount>> CurrentPathsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The workspace's current <see cref="Paths.ChannelModelCounts"/> of <paramref name="markovOrder"/>, this run's included,
    /// when the store keeps them by delta (the refit then reads sums as small as the channels, not every path); null when
    /// it keeps none, and the refit reads <see cref="CurrentPathsAsync"/>. Either gives the same fit.
    /// </summary>
    Task<Paths.ChannelModelCounts?> CurrentCountsAsync(int markovOrder, CancellationToken cancellationToken) =>
        Task.FromResult<Paths.ChannelModelCounts?>(null);

    Task WriteChannelModelsAsync(IReadOnlyList<ChannelModelRow> rows, CancellationToken cancellationToken);

    /// <summary>Records the run (its mark and <paramref name="settingsKey"/>) and makes its rows the current ones.</summary>
    Task CommitAsync(string settingsKey, CancellationToken cancellationToken);
}
