// Four journeys through the public wire format, timed relative to `collectorNow`: the collector runs on a
// clock pinned to that instant (OmniTrack:Clock:StartAt), so the suite sees the same times on any day. The dashboard
// shows "the last N days" of the collector's clock, so the seed moves with OTQ_CLOCK_OFFSET_DAYS as that clock does. Expected credit per channel follows from the paths:
//   anon-a: Paid Search (brand) → Organic Social → order 1001, 100
//   anon-b: Email (winter_sale) → identify → order 1002, 60
//   anon-c: Direct → Paid Search (brand) → order 1003, 40
//   anon-d: Paid Search (campaign name is an HTML payload) → order 1004, 25
export const xssCampaign = '<img src=x onerror=window.__otqXss=1>';
export const expectedChannels = ['Direct', 'Email', 'Organic Social', 'Paid Search'];
export const totalRevenue = 225;

/** The instant the suite was written for; OTQ_CLOCK_OFFSET_DAYS moves the collector's clock on from it (README "Tests"). */
export const pinnedNow = '2026-11-23T12:00:00.000Z';
/** The instant the test collector's clock starts at, and the seed's "now". */
export const collectorNow = new Date(Date.parse(pinnedNow) + Number(process.env.OTQ_CLOCK_OFFSET_DAYS ?? 0) * 86_400_000).toISOString();
export const hoursAgo = (hours) => new Date(Date.parse(collectorNow) - hours * 3_600_000).toISOString();
const daysAgo = (days) => hoursAgo(days * 24);
const landing = (params) => `https://shop.example/?${new URLSearchParams(params)}`;

const page = (messageId, anonymousId, days, url, referrer = '') => ({
  type: 'page', messageId, anonymousId, timestamp: daysAgo(days), context: { page: { url, referrer, title: 'Shop' } },
});

const conversion = (messageId, anonymousId, days, orderId, revenue) => ({
  type: 'conversion', messageId, anonymousId, timestamp: daysAgo(days), properties: { orderId, revenue, currency: 'EUR' },
});

export function seedEvents() {
  return [
    page('p1', 'anon-a', 3, landing({ utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'brand' })),
    page('p2', 'anon-a', 2, 'https://shop.example/shoes', 'https://www.facebook.com/'),
    conversion('c1', 'anon-a', 1, '1001', 100),
    page('p3', 'anon-b', 4, landing({ utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'winter_sale' })),
    { type: 'identify', messageId: 'i1', anonymousId: 'anon-b', userId: 'u-b', timestamp: daysAgo(3) },
    conversion('c2', 'anon-b', 1, '1002', 60),
    page('p4', 'anon-c', 5, 'https://shop.example/'),
    page('p5', 'anon-c', 2, landing({ utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'brand' })),
    conversion('c3', 'anon-c', 1, '1003', 40),
    page('p6', 'anon-d', 2, landing({ utm_source: 'bing', utm_medium: 'cpc', utm_campaign: xssCampaign })),
    conversion('c4', 'anon-d', 1, '1004', 25),
  ];
}

/** One day of spend for the "brand" campaign, dated yesterday so any range covering the seed covers it. */
export function spendRows() {
  return {
    rows: [{ date: daysAgo(1).slice(0, 10), platform: 'google', campaign: 'brand', spend: 25, currency: 'EUR', impressions: 1000, clicks: 50 }],
  };
}
