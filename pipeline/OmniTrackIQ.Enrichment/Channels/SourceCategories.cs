using System.Collections.Frozen;

namespace OmniTrackIQ.Enrichment.Channels;

internal enum SourceCategory : byte
{
    None = 0,
    Search,
    Social,
    Video,
    Shopping,
}

/// <summary>
/// GA4's source categories ("a list of search / social / video / shopping sites"): the major entries
/// of Google's published lists as code tables. A source matches by its exact name ("google", "fb",
/// "t.co"), after dropping "www." or "m.", or, for the brands in <see cref="Brands"/>, as
/// brand.&lt;country or generic TLD&gt; (google.de, amazon.co.uk, yandex.com.tr).
/// </summary>
internal static class SourceCategories
{
    private static readonly string[] Search =
    [
        "google", "google.com", "bing", "bing.com", "cn.bing.com", "yahoo", "yahoo.com", "search.yahoo.com",
        "search.yahoo.co.jp", "duckduckgo", "duckduckgo.com", "baidu", "baidu.com", "yandex", "yandex.ru",
        "yandex.com", "ya.ru", "ecosia", "ecosia.org", "naver", "naver.com", "search.naver.com",
        "m.search.naver.com", "daum", "daum.net", "search.daum.net", "seznam", "seznam.cz", "search.seznam.cz",
        "qwant", "qwant.com", "startpage", "startpage.com", "search.brave.com", "ask", "ask.com", "aol",
        "search.aol.com", "msn", "msn.com", "sogou", "sogou.com", "so.com", "m.so.com", "360.cn", "sm.cn",
        "yahoo.co.jp", "goo.ne.jp", "biglobe", "rakuten", "onet", "onet.pl", "wp", "wp.pl", "rambler",
        "rambler.ru", "go.mail.ru", "mail.ru", "najdi", "kvasir", "eniro", "lycos", "virgilio", "terra",
        "alice", "avg", "babylon", "comcast", "conduit", "incredimail", "search-results", "startsiden",
        "centrum.cz", "tut.by", "ukr", "auone", "petalsearch.com", "coccoc.com", "mojeek.com", "presearch.com",
    ];

    private static readonly string[] Social =
    [
        "facebook", "facebook.com", "l.facebook.com", "lm.facebook.com", "business.facebook.com", "fb", "fb.com",
        "fb.me", "instagram", "instagram.com", "l.instagram.com", "ig", "twitter", "twitter.com", "t.co", "x.com",
        "linkedin", "linkedin.com", "lnkd.in", "pinterest", "pinterest.com", "pin.it", "reddit", "reddit.com",
        "old.reddit.com", "out.reddit.com", "tiktok", "tiktok.com", "snapchat", "snapchat.com", "quora",
        "quora.com", "tumblr", "tumblr.com", "vk", "vk.com", "ok.ru", "odnoklassniki.ru", "weibo", "weibo.com",
        "line", "line.me", "whatsapp", "whatsapp.com", "web.whatsapp.com", "wa.me", "telegram", "t.me",
        "web.telegram.org", "discord", "discord.com", "discordapp.com", "threads.net", "threads.com", "bsky.app",
        "mastodon.social", "medium.com", "meetup.com", "xing.com", "messenger.com", "m.me", "slack.com",
        "app.slack.com", "news.ycombinator.com", "nextdoor.com", "flickr.com", "deviantart.com", "goodreads.com",
        "yelp.com", "tripadvisor.com", "stackoverflow.com", "producthunt.com", "wechat", "qq.com", "douban.com",
    ];

    private static readonly string[] Video =
    [
        "youtube", "youtube.com", "youtu.be", "music.youtube.com", "vimeo", "vimeo.com", "player.vimeo.com",
        "twitch", "twitch.tv", "dailymotion", "dailymotion.com", "wistia", "wistia.com", "fast.wistia.net",
        "ted.com", "netflix", "netflix.com", "rumble.com", "bilibili.com", "iqiyi.com", "youku.com",
        "vid.me", "veoh.com", "crackle.com", "hulu.com", "disneyplus.com", "primevideo.com",
    ];

    private static readonly string[] Shopping =
    [
        "amazon", "amazon.com", "ebay", "ebay.com", "etsy", "etsy.com", "shopify", "shopify.com", "shop.app",
        "checkout.shopify.com", "walmart", "walmart.com", "aliexpress", "aliexpress.com", "alibaba",
        "alibaba.com", "target.com", "bestbuy.com", "zalando", "allegro.pl", "mercadolibre.com",
        "shopping.naver.com", "shopping.yahoo.com", "shopping.yahoo.co.jp", "shopzilla", "stripe", "stripe.com",
        "idealo", "google shopping", "igshopping", "temu.com", "shein.com", "wish.com", "otto.de", "bol.com",
    ];

    // Brands whose sites live on many country domains; matched as brand.<tld> or brand.<sld>.<cc>.
    private static readonly (string Brand, SourceCategory Category)[] Brands =
    [
        ("google", SourceCategory.Search), ("bing", SourceCategory.Search), ("yahoo", SourceCategory.Search),
        ("yandex", SourceCategory.Search), ("baidu", SourceCategory.Search), ("ecosia", SourceCategory.Search),
        ("duckduckgo", SourceCategory.Search), ("facebook", SourceCategory.Social),
        ("instagram", SourceCategory.Social), ("pinterest", SourceCategory.Social), ("linkedin", SourceCategory.Social),
        ("youtube", SourceCategory.Video), ("amazon", SourceCategory.Shopping), ("ebay", SourceCategory.Shopping),
        ("etsy", SourceCategory.Shopping), ("zalando", SourceCategory.Shopping), ("idealo", SourceCategory.Shopping),
        ("aliexpress", SourceCategory.Shopping), ("mercadolibre", SourceCategory.Shopping),
    ];

    private static readonly FrozenDictionary<string, SourceCategory>.AlternateLookup<ReadOnlySpan<char>> Exact =
        BuildExact().GetAlternateLookup<ReadOnlySpan<char>>();

    public static SourceCategory Of(ReadOnlySpan<char> source)
    {
        source = source.Trim();
        if (source.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            source = source[4..];
        }

        if (Exact.TryGetValue(source, out var category))
        {
            return category;
        }

        if (source.StartsWith("m.", StringComparison.OrdinalIgnoreCase) && Exact.TryGetValue(source[2..], out category))
        {
            return category;
        }

        return BrandOf(source);
    }

    private static SourceCategory BrandOf(ReadOnlySpan<char> host)
    {
        if (host.StartsWith("m.", StringComparison.OrdinalIgnoreCase))
        {
            host = host[2..];
        }

        var dot = host.IndexOf('.');
        if (dot <= 0 || !IsCountryOrGenericSuffix(host[(dot + 1)..]))
        {
            return SourceCategory.None;
        }

        var label = host[..dot];
        foreach (var (brand, category) in Brands)
        {
            if (label.Equals(brand, StringComparison.OrdinalIgnoreCase))
            {
                return category;
            }
        }

        return SourceCategory.None;
    }

    // "de", "com", "com.br", "co.uk", "ne.jp": one label of 2-3 letters, or a 2-3 letter label then a
    // 2-letter country code. Enough to tell google.co.uk from google.evil-site.example.
    private static bool IsCountryOrGenericSuffix(ReadOnlySpan<char> suffix)
    {
        var dot = suffix.IndexOf('.');
        if (dot < 0)
        {
            return IsLetters(suffix, 2, 3);
        }

        return IsLetters(suffix[..dot], 2, 3) && IsLetters(suffix[(dot + 1)..], 2, 2);
    }

    private static bool IsLetters(ReadOnlySpan<char> label, int min, int max) =>
        label.Length >= min && label.Length <= max && IsAsciiLetters(label);

    private static bool IsAsciiLetters(ReadOnlySpan<char> label)
    {
        foreach (var c in label)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return true;
    }

    private static FrozenDictionary<string, SourceCategory> BuildExact()
    {
        var map = new Dictionary<string, SourceCategory>(StringComparer.OrdinalIgnoreCase);
        Add(map, Search, SourceCategory.Search);
        Add(map, Social, SourceCategory.Social);
        Add(map, Video, SourceCategory.Video);
        Add(map, Shopping, SourceCategory.Shopping);
        return map.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private static void Add(Dictionary<string, SourceCategory> map, string[] names, SourceCategory category)
    {
        foreach (var name in names)
        {
            map.Add(name, category);
        }
    }
}
