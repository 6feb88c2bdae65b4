"""English material shared by all niches: openers, closers, off-topic life posts, bio pieces,
sponsored-post wording and the shared slot pools.

Bio pieces prefixed ``f:`` or ``m:`` only go to creators of that gender.
"""

OPENERS = (
    "Morning!",
    "Okay so.",
    "Quick one:",
    "Update:",
    "Confession:",
    "Not me doing this again.",
    "Real talk:",
    "Saturday thoughts:",
    "PSA:",
    "Small win today.",
    "Long post, sorry.",
    "Can we talk about this?",
    "Happy {day}!",
    "Honestly?",
    "Weekend recap:",
    "Story time.",
    "Hi friends!",
    "Been a minute.",
    "Unpopular opinion incoming.",
    "Little {day} update.",
)

CLOSERS = (
    "Let me know in the comments!",
    "Save this for later.",
    "Who else?",
    "Tell me I'm not the only one.",
    "More in stories.",
    "Link in bio.",
    "Would you try it?",
    "Questions welcome, I'll answer them all.",
    "See you tomorrow.",
    "Thoughts?",
    "Send this to someone who needs it.",
    "Okay, back to work.",
    "Wish me luck.",
    "Have a lovely {day}.",
    "What would you do?",
    "Part two soon.",
    "Be kind to yourselves.",
)

# off-topic posts about ordinary life
LIFE = (
    "It's my birthday! {age} and feeling surprisingly okay about it.",
    "New haircut. Still deciding if I like it.",
    "Moving flat this week, so posts might be slow. Everything I own is in boxes.",
    "The weather in {city} today: four seasons before lunch.",
    "Finally had a proper day off. Did nothing. Loved it.",
    "Happy birthday to {friend}, the funniest person I know.",
    "Dentist this morning. Brave face on.",
    "Caught a cold, so it's soup and bad TV all weekend.",
    "Took myself out for lunch with a good novel. Ten out of ten.",
    "{friend} got married on Saturday and I cried through the whole ceremony.",
    "Laundry, clean sheets, early night. Thrilling stuff.",
    "Got my first ever parking ticket. A rite of passage?",
    "My phone screen cracked, so excuse the blurry pictures for a bit.",
    "Heatwave in {city}. I'm melting.",
    "First snow of the year and I'm unreasonably excited.",
    "Lost my keys, found them in the fridge. Send help.",
    "Little life update: new job starts Monday!",
    "Grateful for this community. Genuinely.",
    "We just passed {milestone} followers?! Thank you, truly.",
    "Went to a concert last night and my ears are still ringing.",
    "Slow morning, long walk, nothing planned. Perfect.",
    "Power cut for three hours. Candles and board games like it's 1850.",
    "Helped my parents clear out the garage and found my old school reports.",
    "Jet lag is winning today.",
    "Booked a holiday on a whim. No regrets yet.",
    "Back from a week offline. Did you miss me?",
    "Decided to learn to knit. Three rows in.",
    "My nephew scored at his first football match. For the other team.",
    "Rainy {day}, big jumper, candle on.",
    "Someone complimented my jacket on the bus and it made my week.",
    "Neighbours are renovating and the drilling starts at 8am sharp.",
    "Spent the afternoon at my gran's. She beat me at cards again.",
    "Finally framed that poster I bought three years ago.",
    "Tried a pottery class with {friend}. My bowl is a plate now.",
    "Long lunch with {friend} turned into dinner. No regrets.",
    "{day} plans: nothing. Absolutely nothing.",
    "Finally unpacked the last box. Only took {num} months.",
    "Ran for the bus in {city} and missed it by a second. Classic {day}.",
    "Woke up to {num} missed calls from my mum. Everything's fine, she just found a new recipe.",
    "Spring cleaning in {city}, windows open, music loud.",
    "Quiet {day} at home. Soup on, phone off.",
    "Caught up with {friend} after two years and it felt like two days.",
    "Little break from posting this week, back soon.",
    "Got engaged!! Still shaking.",
    "The cat next door has decided I'm his human now.",
    "Took the long way home today. Glad I did.",
)

LIFE_CLOSERS = (
    "Anyway.",
    "Back to normal programming tomorrow.",
    "How's your week going?",
    "Hope you're all well.",
    "That's the update.",
    "Love you lot.",
)

LIFE_TAGS = (
    "lifelately",
    "weekendvibes",
    "dailylife",
    "personal",
    "lifeupdate",
    "sundayfunday",
    "grateful",
    "smallwins",
)

GENERIC_TAGS = {
    "instagram": ("reels", "explorepage", "instadaily", "smallcreator", "contentcreator"),
    "tiktok": ("fyp", "foryou", "foryoupage", "viral", "learnontiktok"),
    "youtube": ("shorts", "newvideo", "subscribe"),
    "x": (),
    "twitch": ("live", "twitchaffiliate"),
}

GENERIC_EMOJI = ("✨", "🙌", "😅", "🥹", "❤️", "😂", "👀", "🙏", "💫", "☀️", "🫶", "😍")

# bio pieces about the person rather than the niche
BIO_PERSONAL = (
    "{parent} of two",
    "{parent} of three",
    "Dog {parent_l}",
    "Cat {parent_l}",
    "Tea over coffee",
    "Coffee first",
    "Ex-lawyer",
    "Nurse by day",
    "Teacher by day",
    "Engineer by day",
    "Night owl",
    "Learning Spanish, badly",
    "Amateur pianist",
    "Plant collector",
    "f:She/her",
    "m:He/him",
    "Eternal optimist",
    "Chronic overthinker",
    "Sunday market regular",
    "Always hungry",
    "f:Proud auntie",
    "m:Proud uncle",
    "Newly married",
    "Left-handed",
    "Allergic to mornings",
    "Former competitive swimmer",
    "Part-time philosopher",
    "Twin",
    "Spreading good vibes",
    "Introvert with a microphone",
    "Northerner in the south",
    "Sea swimmer",
    "Terrible at karaoke",
    "Lover of long walks",
    "Powered by snacks",
    "Dreaming in watercolour",
    "f:Wife, sister, daughter",
    "m:Husband, brother, son",
)

BIO_LOCATION = (
    "📍 {city}",
    "Based in {city}",
    "{city}",
    "{city} → anywhere",
    "{city}-based",
    "{city}, {country_name}",
    "Living in {city}",
    "🌍 {city}",
)

BIO_CTA = (
    "📩 {email}",
    "Collabs: {email}",
    "DM for collabs",
    "New videos every {day}",
    "Links below 👇",
    "Business enquiries by email",
    "Say hi 👋",
    "Enquiries: {email}",
)

# sponsored posts: {brand} is the display name, {bh} its handle, {product} a niche product
AD_BODY = (
    "Been testing the new {brand} {product} for {weeks} weeks and I'm genuinely impressed.",
    "{brand}'s {product} has quietly become part of my routine.",
    "Teamed up with {brand} to show you how I use their {product} day to day.",
    "I was sent the {brand} {product} a while ago and only agreed to this post because I "
    "still reach for it every week.",
    "Partnered with @{bh} on this one: their {product} made my {day} so much easier.",
    "Honest first impressions of the {product} by {brand}: comfortable, well made, a bit pricey.",
    "{brand} asked me to try their new {product}. Spoiler: I said yes twice.",
    "My go-to {product} right now is from {brand}, and this post is sponsored by them.",
    "What I like about the {brand} {product}: simple, sturdy, no fuss.",
)

AD_EXTRA = (
    "Code {code} gets you 15% off.",
    "Link in bio.",
    "Use {code} at checkout.",
    "Giveaway in my stories this week!",
    "Full review on my channel.",
)

# disclosure placed before ("pre") or after ("post") the text
AD_DISCLOSURE_PRE = ("#ad ", "AD | ", "Paid partnership with @{bh}. ", "Sponsored: ")
AD_DISCLOSURE_POST = (" #ad", " #sponsored", " #ad #partner", " (paid partnership with @{bh})")

# shared slot pools available in every template
POOLS = {
    "day": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "num": ("2", "3", "4", "5", "6", "7", "8", "9"),
    "weeks": ("two", "three", "four", "five", "six"),
    "age": ("24", "27", "29", "30", "31", "33", "35", "38", "40", "42", "45"),
    "milestone": ("1,000", "5k", "10k", "25k", "50k", "100k"),
    "friend": (
        "Anna",
        "Jo",
        "Sam",
        "Priya",
        "Lucas",
        "Mia",
        "Kemi",
        "Tom",
        "Inés",
        "Ravi",
        "Hannah",
        "Marco",
        "Lou",
        "Kit",
    ),
}
