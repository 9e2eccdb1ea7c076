"""Questions in callers' own words, each with what its answer must say, on three restaurants.

Five kinds: a question that mentions a need (answered, not noted, no booking pushed), a
question about one dish, a word the restaurant's file says otherwise (takeaway / takeout), a
dietary need said as an absence ("without meat"), and prices. The expected words come from
each restaurant's own file; nothing here is phrased like the files' entries on purpose.

Plain data (stdlib only), so the same table can be run against an older checkout to measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
RESTAURANTS = {
    "demo": ROOT / "resvoice" / "demo" / "restaurant.yaml",
    "bistro": ROOT / "resvoice" / "demo" / "harbour_bistro" / "restaurant.yaml",
    "kettle": HERE / "copper_kettle.yaml",
}
# An answered question neither notes a request, nor pushes a booking, nor gives up.
NEVER = (
    "noted your request",
    "how many people",
    "what day",
    "didn't catch",
    "don't have that information",
)


@dataclass(frozen=True)
class Case:
    restaurant: str
    kind: str
    question: str
    says: tuple[str, ...]  # every one of these, case-insensitive
    one_of: tuple[str, ...] = ()  # and at least one of these, when given

    def failure(self, reply: str) -> str | None:
        """Why `reply` does not answer the question, or None when it does."""
        low = reply.lower()
        missing = [w for w in self.says if w.lower() not in low]
        if self.one_of and not any(w.lower() in low for w in self.one_of):
            missing.append(" | ".join(self.one_of))
        wrong = [w for w in NEVER if w in low]
        if missing or wrong:
            return f"missing {missing}, wrong {wrong}"
        return None


def _cases(restaurant: str, kind: str, *rows: tuple[str, tuple[str, ...]]) -> list[Case]:
    return [Case(restaurant, kind, q, says) for q, says in rows]


def _any(restaurant: str, kind: str, *rows: tuple[str, tuple[str, ...]]) -> list[Case]:
    return [Case(restaurant, kind, q, (), one_of) for q, one_of in rows]


NEED = [
    *_cases(
        "demo",
        "need",
        ("is the place wheelchair accessible", ("wheelchair",)),
        ("can my mum get in with her wheelchair?", ("step-free",)),
        ("do you guys have outdoor seating", ("patio",)),
        ("is there anywhere to sit outside", ("patio",)),
        ("my son has a peanut allergy, is that ok", ("allergy",)),
        ("my daughter is allergic to shellfish, can you cope with that?", ("allerg",)),
        ("do you have high chairs", ("high chair",)),
        ("we've got a baby with us, have you got a high chair?", ("high chair",)),
        ("is there a ramp at the entrance", ("step-free",)),
        ("I use a walker, is it easy to get around inside?", ("step-free",)),
        ("do you have a booster seat for my toddler", ("booster",)),
        ("how do you handle nut allergies", ("nuts",)),
    ),
    *_cases(
        "kettle",
        "need",
        ("is the pub wheelchair friendly?", ("step-free",)),
        ("do you have a beer garden", ("twelve tables",)),
        ("can we sit outdoors?", ("garden",)),
        ("my husband has a nut allergy, is that a problem?", ("traces of nuts",)),
        ("have you got high chairs?", ("high chairs",)),
        ("are you accessible for disabled guests", ("step-free",)),
    ),
]

DISH = [
    *_cases(
        "demo",
        "dish",
        ("whats in the calamari", ("squid",)),
        ("what's in the carbonara?", ("guanciale",)),
        ("tell me about the octopus", ("fingerling",)),
        ("what comes with the short rib", ("polenta",)),
        ("is the diavola spicy?", ("yes",)),
        ("is the carbonara spicy", ("no",)),
        ("does the pesto have nuts in it", ("yes", "nuts")),
        ("does the tiramisu contain eggs", ("yes",)),
        ("is there any dairy in the branzino", ("no",)),
        ("what is the arancini like?", ("risotto",)),
        ("can you describe the lamb chops", ("salsa verde",)),
        ("what do the meatballs come with", ("san marzano",)),
        ("is the burrata vegetarian", ("yes",)),
        ("is the carbonara gluten free", ("no",)),
        ("whats in the panna cotta", ("berry",)),
    ),
    *_cases(
        "bistro",
        "dish",
        ("what's in the walleye sandwich", ("brioche",)),
        ("tell me about the whitefish dip", ("crackers",)),
        ("is the risotto vegan", ("yes",)),
        ("does the blueberry crisp have gluten", ("yes",)),
    ),
    *_cases(
        "kettle",
        "dish",
        ("what's in a scotch egg", ("sausage",)),
        ("what comes with the haddock", ("mushy peas",)),
        ("is the tikka masala spicy", ("yes",)),
        ("does the apple crumble have nuts", ("yes",)),
        ("is the shepherd's pie vegan", ("yes",)),
        ("what's the rarebit", ("cheddar",)),
        ("tell me about the sticky toffee pudding", ("date",)),
    ),
]

# a dish name as a recogniser spells what it half heard ("Calimary", "Barata")
MISHEARD_DISH = [
    *_cases(
        "demo",
        "dish",
        ("What's in the Calimary?", ("squid",)),
        ("Is the Barata vegetarian?", ("yes",)),
        ("Does the tiramisoo contain eggs?", ("yes",)),
        ("What's in the carbonarra?", ("guanciale",)),
        ("What is the rissotto like?", ("mushroom",)),
    ),
    *_cases("bistro", "dish", ("Is the rissotto vegan?", ("yes",))),
    *_cases(
        "kettle",
        "dish",
        ("What comes with the haddok?", ("mushy peas",)),
        ("Is the tikka massala spicy?", ("yes",)),
    ),
]

SYNONYM = [
    *_cases(
        "demo",
        "synonym",
        ("do you do takeaway", ("takeout",)),
        ("can I get food to go", ("takeout",)),
        ("do you do carry out", ("takeout",)),
        ("what's your web address", ("oliveandember",)),
        ("do you have a web site", ("oliveandember",)),
        ("is the bathroom accessible", ("restroom",)),
        ("can I pay by amex", ("credit cards",)),
        ("can I bring my pooch", ("dogs",)),
        ("is there somewhere to leave the car", ("parking",)),
    ),
    *_any(
        "demo",
        "synonym",
        ("what beers do you have on tap", ("lager", "peroni")),
        ("what appetizers do you have", ("burrata", "calamari", "meatballs", "octopus")),
    ),
    *_cases(
        "kettle",
        "synonym",
        ("can I get a takeout", ("taken away",)),
        ("do you do food to go", ("taken away",)),
        ("what's your web address", ("copperkettle",)),
        ("have you got wifi", ("password",)),
        ("where are the toilets", ("accessible toilet",)),
        ("is your restroom wheelchair accessible", ("toilet",)),
        ("is there internet", ("wi-fi",)),
        ("can I bring my pup", ("dogs",)),
        ("do you show the football", ("rugby",)),
    ),
    *_any("kettle", "synonym", ("do you have beer on tap", ("cask ale", "bitter"))),
    *_cases(
        "bistro",
        "synonym",
        ("where can I leave my car", ("lot",)),
        ("where exactly are you", ("pier road",)),
    ),
]

DIET = [
    *_cases(
        "demo",
        "diet",
        ("do you have anything without meat", ("vegetarian",)),
        ("I don't eat meat, what can I have?", ("vegetarian",)),
        ("what's on the menu with no dairy", ("dairy",)),
        ("anything without gluten?", ("gluten",)),
        ("what can a vegan eat there", ("vegan",)),
        ("any plant based options", ("vegan",)),
        ("my husband is coeliac, what can he eat?", ("gluten",)),
        ("do you have meat-free mains", ("eggplant parmigiana",)),
        ("do you have anything spicy?", ("spicy",)),
        ("what can I eat if I can't have nuts", ("nut",)),
    ),
    *_any(
        "bistro",
        "diet",
        ("do you have anything without meat", ("wild rice soup", "mushroom risotto")),
        ("any vegan dishes", ("mushroom risotto",)),
        ("is there anything gluten free", ("roast chicken", "mushroom risotto")),
        ("what do you have with no dairy", ("roast chicken", "mushroom risotto")),
    ),
    *_any(
        "kettle",
        "diet",
        ("anything without meat?", ("welsh rarebit", "cauliflower", "lentil")),
        ("I'm vegan, what can I eat", ("lentil shepherd's pie",)),
        ("got anything gluten free?", ("cauliflower", "lentil", "tikka", "sirloin", "eton")),
        ("what's spicy on the menu", ("cauliflower", "tikka")),
    ),
]

PRICE = [
    *_cases(
        "demo",
        "price",
        ("what's the cheapest main", ("cauliflower steak", "$21")),
        ("what's your most expensive main", ("ribeye", "$46")),
        ("how much is the octopus", ("$19",)),
        ("how much does the ribeye cost", ("$46",)),
        ("what's the price of the tiramisu", ("$11",)),
        ("anything under 20 dollars", ("$",)),
        ("which pizza is the cheapest", ("margherita pizza", "$17")),
        ("how pricey are the mains", ("$21", "$46")),
        ("what's the least expensive pasta", ("penne", "$19")),
        ("how much is a glass of house red", ("$12",)),
        ("how much is the gluten free pizza", ("gluten-free margherita pizza", "$20")),
        ("what does the vegan pizza cost", ("vegan garden pizza", "$19")),
        ("what's the cheapest vegan main", ("cauliflower steak", "$21")),
        ("how much are the vegan starters", ("$7", "$12")),
    ),
    *_cases(
        "bistro",
        "price",
        ("cheapest main?", ("walleye sandwich", "$18")),
        ("how much is the roast chicken", ("$24",)),
        ("what's the most expensive thing on the menu", ("roast chicken", "$24")),
    ),
    *_cases(
        "kettle",
        "price",
        ("how much is the sirloin", ("$26",)),
        ("what's the cheapest large plate", ("lentil shepherd's pie", "$15")),
        ("how much are the puddings", ("$6.50", "$7")),
        ("cheapest main course?", ("lentil",)),
        ("what's the priciest dish", ("sirloin", "$26")),
    ),
]

ALL = [*NEED, *DISH, *MISHEARD_DISH, *SYNONYM, *DIET, *PRICE]

# Written after the code above, in other words again, to measure what it does with wording it
# was not written against (see the commit message for the first run's rate).
FRESH = [
    *_cases(
        "demo",
        "need",
        ("will a wheelchair fit through your door", ("step-free",)),
        ("my father can't do stairs, are there steps?", ("step-free",)),
        ("can you do a table on the terrace", ("patio",)),
        ("i'm severely allergic to sesame, is eating there safe?", ("allerg",)),
        ("we're bringing an infant, do you do high chairs", ("high chair",)),
        ("are children allowed", ("children",)),
    ),
    *_cases(
        "kettle",
        "need",
        ("my daughter is in a wheelchair, can she get in?", ("step-free",)),
        ("can we eat outside", ("garden",)),
        ("our little one needs a high chair, do you have one", ("high chairs",)),
    ),
    *_cases(
        "demo",
        "dish",
        ("what goes into the bolognese", ("ragu",)),
        ("what's the halloumi served with", ("pistachios",)),
        ("is the vongole spicy at all", ("yes",)),
        ("does the cannoli have nuts", ("yes",)),
        ("is the risotto vegetarian", ("yes",)),
        ("is the lobster ravioli gluten free?", ("no",)),
        ("can you tell me what's in the tagine", ("chickpeas",)),
        ("what kind of pizza is the funghi", ("mushrooms",)),
    ),
    *_cases(
        "bistro",
        "dish",
        ("what's the soup", ("wild rice",)),
        ("does the roast chicken come with anything", ("root vegetables",)),
    ),
    *_cases(
        "kettle",
        "dish",
        ("what's in the pie", ("beef",)),
        ("is the eton mess gluten free", ("yes",)),
        ("does the whitebait have eggs in it", ("yes",)),
    ),
    *_cases(
        "demo",
        "synonym",
        ("can I order something to pick up", ("takeout",)),
        ("do you deliver", ("deliver",)),
        ("where's the restroom", ("restroom",)),
        ("do you take visa", ("credit cards",)),
        ("what's the url for your site", ("oliveandember",)),
        ("is there a car park", ("parking",)),
    ),
    *_cases(
        "kettle",
        "synonym",
        ("can I grab a takeaway", ("taken away",)),
        ("do you have a webpage", ("copperkettle",)),
        ("do you have wi-fi for customers", ("password",)),
        ("where's the loo", ("toilet",)),
        ("are pets allowed", ("dogs",)),
    ),
    *_cases(
        "demo",
        "diet",
        ("I'm a vegetarian, is there much for me?", ("vegetarian",)),
        ("what have you got that's dairy free", ("dairy-free",)),
        ("my girlfriend can't eat gluten, what are her options", ("gluten",)),
        ("any vegan desserts?", ("sorbet",)),
        ("got anything for someone who doesn't eat meat", ("vegetarian",)),
    ),
    *_any(
        "kettle",
        "diet",
        ("what puddings are vegetarian", ("sticky toffee", "eton mess", "apple crumble")),
        ("which small plates don't have meat", ("rarebit", "cauliflower")),
    ),
    *_cases(
        "demo",
        "price",
        ("what does the lobster ravioli cost", ("$32",)),
        ("how much are your pizzas", ("$17",)),
        ("what's the cheapest dessert", ("$8",)),
        ("do you have any mains under 25", ("$",)),
        ("price of the margherita?", ("$17",)),
    ),
    *_cases(
        "kettle",
        "price",
        ("how much for the fish and chips", ("$17",)),
        ("what do the small plates cost", ("$6.50", "$8")),
    ),
    *_cases(
        "bistro",
        "price",
        ("how much is dessert", ("$9",)),
    ),
]

# A third set, written last and measured once before any change it prompted (rates in the
# commit message): chattier wording, fillers, and questions that run on.
BLIND = [
    *_cases(
        "demo",
        "need",
        (
            "hi there, quick question, can you get a wheelchair into the dining room?",
            ("step-free",),
        ),
        ("um, do you have somewhere outside we could sit if it's nice", ("patio",)),
        ("my kid's got a tree nut allergy, how careful is the kitchen?", ("nuts",)),
        ("hey, do you guys have highchairs", ("high chair",)),
    ),
    *_cases(
        "kettle",
        "need",
        ("can you get a wheelchair in there ok?", ("step-free",)),
        ("we've got a baby, is that alright? do you have a highchair", ("high chairs",)),
    ),
    *_cases(
        "demo",
        "dish",
        ("so what exactly is in the vongole", ("clams",)),
        ("what's the deal with the short rib, what comes on it", ("polenta",)),
        ("does the caesar have anchovies in it", ("anchovy",)),
        ("is the arrabbiata really spicy?", ("yes",)),
        ("is the cacio e pepe vegetarian?", ("yes",)),
        ("could you tell me a bit about the tagine", ("apricots",)),
    ),
    *_cases(
        "kettle",
        "dish",
        ("what's the haddock served with", ("chips",)),
        ("hi, does the steak and ale pie have dairy in it", ("yes",)),
        ("what's in the eton mess", ("meringue",)),
    ),
    *_cases(
        "bistro",
        "dish",
        ("what's the whitefish dip like", ("crackers",)),
        ("is the roast chicken gluten free", ("yes",)),
    ),
    *_cases(
        "demo",
        "synonym",
        ("hi, can I order takeaway for tonight", ("takeout",)),
        ("do you guys have a website I can look at", ("oliveandember",)),
        ("do you have a restroom that's accessible", ("restroom",)),
        ("do you take apple pay", ("apple pay",)),
    ),
    *_cases(
        "kettle",
        "synonym",
        ("is there free wifi", ("password",)),
        ("do you show rugby matches", ("rugby",)),
        ("can I pick up food to take home", ("taken away",)),
    ),
    *_cases(
        "demo",
        "diet",
        ("hi, my wife doesn't eat any meat, what would she have?", ("vegetarian",)),
        ("is there much for someone who's lactose intolerant", ("dairy",)),
        ("what vegan mains have you got", ("cauliflower steak",)),
        ("any gluten free desserts", ("panna cotta",)),
    ),
    *_any(
        "bistro",
        "diet",
        ("my son's vegetarian, what could he get", ("wild rice soup", "mushroom risotto")),
    ),
    *_any(
        "kettle",
        "diet",
        ("anything gluten free on the small plates?", ("cauliflower",)),
        ("what's dairy free", ("lentil",)),
    ),
    *_cases(
        "demo",
        "price",
        ("roughly how much is a main course", ("$21", "$46")),
        ("what's the most expensive pizza", ("prosciutto", "$22")),
        ("how much would a negroni be", ("$15",)),
        ("do you have any starters under ten dollars", ("marinated olives",)),
    ),
    *_cases(
        "kettle",
        "price",
        ("what's the cheapest pudding", ("$6.50",)),
        ("how much is a pint of the ale", ("$5.50",)),
    ),
    *_cases(
        "bistro",
        "price",
        ("what does the walleye sandwich cost", ("$18",)),
    ),
]
