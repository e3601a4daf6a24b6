"""What a sentence is: a stated plan or prediction, a reported figure, or description.

A sentence is a candidate proposition when it holds a future or modal form ("will", "plans
to", "aims", "may", "is expected to", "should", "could"); a plan or intention without a modal
("disclosed plans for constructing", "intentions to", "seek to", "agreed to", "the roadmap
provides for", "is to be", "these include", "work is underway to", "is ready to", "plans are
underway for", "we are obliged to increase", "have everything they need to increase"); a
forecast ("is forecast at", "is projected to", "increases the likelihood of"); a goal word
("target", "roadmap") with a year still to come or an action ("to build", "to supply"). It is
a reported figure when it gives an amount with a past year and no such form. Everything else
is description. The month May is not the modal "may", and "the projected deficit" is no
forecast; questions, "should be regarded as" readings and conversational phrases ("I would
like to note", "I must say") are skipped, but a statement that ends by quoting a question
("…, a trend may mature with a question: “Why am I enduring this?”") is read by its own
words. The cue that decided is kept, so the draft can say why each candidate is there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FUTURE = (
    r"will|won['’]t|shall|['’]ll|is going to|are going to|(?<!action )plans? to|planned to|planning to|"
    r"aims? to|aimed at|aiming|intends? to|intended to|is expected to|are expected to|"
    r"expects?|promised|pledged|vowed|agreed to|undertook to|is to|are to|would|"
    r"is scheduled|are scheduled|foresees?|envisages?|hopes? (?:that|to)|expressed hope|"
    r"upcoming|in the near future|is likely to|are likely to|is unlikely to|"
    r"to be built|to be launched|is determined to|are determined to|meant to|"
    r"(?<!action )plans? for|disclosed plans|intentions? (?:to|for)|seeks? to|seeking to|sought to|ha(?:ve|s) agreed to|"
    r"(?<!to )provides? for|is to be|are to be|these include|is planned|are planned|it is planned|is being planned|"
    r"work is underway|works? (?:is|are) under way|is ready to|are ready to|is prepared to|are prepared to|"
    r"there is an idea|there is an agreement|anticipated|committed to|poised to|our aim|the aim is|"
    r"with the goal of|the goal of|goal is to|goal to|the task (?:is|of)|task set|is forecast|are forecast|forecasts? (?:that|\w+ to)|"
    r"(?:is|are|was|were|been|being) projected|projected (?:to|at|for)|predicts?|"
    r"(?:is|are|am|was|were) (?:\w+ )?(?:obliged|obligated) to|ha(?:ve|s) everything (?:we|they|it|you|he|she) needs? to(?= (?:further )?(?:increase|raise|boost|reach|double|exceed|build|expand|grow|develop|bring)\b)|"
    r"(?:plans|preparations) (?:are|is) (?:underway|under way|being made|afoot)|(?:increases?|raises?|heightens?) the (?:likelihood|probability) of|"
    r"is starting to|are starting to|we are now implementing|are implementing|is implementing|"
    r"in the coming|set the goal|set the task|is confident that|am confident that|are confident that|"
    r"(?:we|they|I|you) (?:plan|intend|expect|aim|hope)"
)
MODAL = (
    r"future|announced|may|might|could|can|should|must|ought to|possibility of|"
    r"prospects? (?:for|of)|suggested|proposed|called for|urged|believes? that|"
    r"is becoming|are becoming|increasingly"
)
PLANNING = (
    r"target|goal|task|roadmap|road map|plan|strategy|programme|program|agreement|memorand(?:um|a)|"
    r"contract|project|are working on|is being discussed|are being discussed|proposed|suggested|"
    r"offered|asked|signed"
)
ACTION = (
    r"build|construct|supply|supplies|deliver|export|import|produce|production|open|create|"
    r"launch|reach|double|increase|raise|boost|bring|exceed|grow|invest|sign|host|join|participate|"
    r"restore|establish|set up|plant|factory|venture|contracts?|keep|maintain|reduce|cut|limit|"
    r"diversify|reorient"
)
FUTURE_RE = re.compile(rf"\b(?:{FUTURE})\b", re.IGNORECASE)
MODAL_RE = re.compile(rf"\b(?:{MODAL})\b")  # case-sensitive: "May" mid-sentence is the month
PLANNING_RE = re.compile(rf"\b(?:{PLANNING})s?\b", re.IGNORECASE)
ACTION_RE = re.compile(rf"\b(?:{ACTION})\w*", re.IGNORECASE)
PAST_YEAR = re.compile(r"\b(?:in|for|of|since|as of)\s+(?P<year>(?:19|20)\d{2})\b", re.IGNORECASE)
HYPOTHETICAL = re.compile(r"^\s*(?:if one|it would take|it would require)\b", re.IGNORECASE)
INTERPRETIVE = re.compile(r"\bshould be (?:regarded|seen|viewed|considered|understood|read)\b")
QUESTION_END = re.compile(r"\?[”\"’]?$")
QUOTED_QUESTION = re.compile(r"[:,]\s*[“\"‘][^“\"‘”]*\?[”\"’]$")
CONVERSATIONAL = re.compile(
    r"\b(?:would like to (?:note|say|stress|emphasi[sz]e|thank|point out)|would say|(?:I|we) can (?:say|tell you)|"
    r"would not be an overstatement|I must say|must be said|it can be said|"
    r"how \w+(?: \w+)? can|it can consume|can be seen|could be seen|can only welcome)\b", re.IGNORECASE
)
FUTURE_YEAR = re.compile(r"\b(?:20[2-9]\d)\b")


@dataclass(frozen=True)
class Cue:
    """Why a sentence was kept: its class, the words that decided, and a rank score."""

    kind: str  # proposition | observation
    words: str
    score: float


def classify(sentence: str, has_amount: bool, has_actor: bool, year: int | None = None) -> Cue | None:
    """The class of a sentence, or None for pure description; `year` is when it was said."""
    if HYPOTHETICAL.search(sentence) or INTERPRETIVE.search(sentence):
        return None
    if QUESTION_END.search(sentence):
        quoted = QUOTED_QUESTION.search(sentence)
        if not quoted:
            return None
        sentence = sentence[:quoted.start()]  # a statement that ends by quoting a question: its own words decide
    lowered = CONVERSATIONAL.sub("", sentence[:1].lower() + sentence[1:])
    future = FUTURE_RE.search(lowered)
    modal = MODAL_RE.search(lowered)
    planning = PLANNING_RE.search(sentence)
    action = ACTION_RE.search(sentence)
    if modal and not future and modal.group(0) == "can" and not (has_amount or planning or action or FUTURE_YEAR.search(sentence)):
        modal = None  # "Belarus can promote its products": an ability, not a plan
    if future or modal:
        cue = future or modal
        assert cue is not None
        score = (2.0 if future else 1.0) + 0.5 * bool(action) + 0.5 * bool(planning)
        score += 0.5 * has_amount + 0.5 * has_actor
        return Cue("proposition", cue.group(0), score)
    if planning and re.search(rf"\bto\s+(?:further\s+)?(?:{ACTION})", sentence[planning.end():], re.IGNORECASE):
        return Cue("proposition", planning.group(0), 1.0 + 0.5 * has_actor)
    coming = [y for y in FUTURE_YEAR.findall(sentence) if year is not None and int(y) > year]
    if planning and coming:
        return Cue("proposition", f"{planning.group(0)} … {coming[-1]}", 1.0 + 0.5 * has_actor)
    if has_amount and PAST_YEAR.search(sentence):
        return Cue("observation", PAST_YEAR.search(sentence).group(0), 0.0)  # type: ignore[union-attr]
    return None

