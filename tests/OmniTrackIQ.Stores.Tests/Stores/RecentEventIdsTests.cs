using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The stores' bounded filter of recently stored (workspace, message id) pairs.</summary>
public sealed class RecentEventIdsTests
{
    [Fact]
    public void What_a_store_still_writes_is_the_first_of_each_id_the_filter_does_not_hold()
    {
        var recent = new RecentEventIds(10);
        recent.Add("ws", "stored");
        TrackedEvent[] batch = [Event("ws", "a", "first"), Event("ws", "stored", "retry"), Event("ws", "a", "second"), Event("other", "stored", "other ws")];

        var fresh = recent.NewOfEachId(batch);

        Assert.Equal(["first", "other ws"], fresh.Select(e => e.Channel));
    }

    [Fact]
    public void It_holds_at_most_its_capacity_and_forgets_the_oldest_first()
    {
        var recent = new RecentEventIds(3);
        foreach (var id in new[] { "a", "b", "c", "d", "e" }) { recent.Add("ws", id); }

        Assert.Equal(3, recent.Count);
        Assert.False(recent.Contains("ws", "a"));
        Assert.False(recent.Contains("ws", "b"));
        Assert.True(recent.Contains("ws", "c"));
        Assert.True(recent.Contains("ws", "d"));
        Assert.True(recent.Contains("ws", "e"));
    }

    [Fact]
    public void A_pair_added_again_keeps_its_place_in_line_and_takes_no_second_slot()
    {
        var recent = new RecentEventIds(2);
        recent.Add("ws", "a");
        recent.Add("ws", "b");
        recent.Add("ws", "a"); // held already: "a" is still the oldest
        Assert.Equal(2, recent.Count);

        recent.Add("ws", "c");

        Assert.False(recent.Contains("ws", "a"));
        Assert.True(recent.Contains("ws", "b"));
        Assert.True(recent.Contains("ws", "c"));
    }

    [Fact]
    public void The_key_is_the_workspace_and_the_id_together()
    {
        var recent = new RecentEventIds(10);
        recent.Add("ws-1", "a");
        recent.Add("ab", "c");

        Assert.True(recent.Contains("ws-1", "a"));
        Assert.False(recent.Contains("ws-2", "a"));
        Assert.False(recent.Contains("a", "bc")); // the same characters split elsewhere are another pair
        Assert.True(recent.Contains("ab", "c"));
    }

    [Fact]
    public void Ids_longer_than_the_stack_buffer_are_told_apart_by_every_character()
    {
        var recent = new RecentEventIds(10);
        var id = new string('x', 2_000);
        recent.Add("ws", id + "1");

        Assert.True(recent.Contains("ws", id + "1"));
        Assert.False(recent.Contains("ws", id + "2"));
    }

    [Fact]
    public void Capacity_zero_holds_nothing()
    {
        var recent = new RecentEventIds(0);
        recent.Add("ws", "a");

        Assert.Equal(0, recent.Count);
        Assert.False(recent.Contains("ws", "a"));
    }

    [Fact]
    public void After_many_turns_of_the_ring_it_holds_exactly_the_newest_capacity_pairs()
    {
        var recent = new RecentEventIds(7);
        for (var i = 0; i < 1_000; i++) { recent.Add("ws", "e" + i); }

        Assert.Equal(7, recent.Count);
        for (var i = 0; i < 1_000; i++) { Assert.Equal(i >= 993, recent.Contains("ws", "e" + i)); }
    }

    private static TrackedEvent Event(string workspace, string id, string channel) => new()
    {
        Workspace = workspace, MessageId = id, Type = EventType.Page, Channel = channel, Ts = DateTimeOffset.UnixEpoch, ReceivedAt = DateTimeOffset.UnixEpoch,
    };
}
