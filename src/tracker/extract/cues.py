"""What a sentence is: a stated plan or prediction, a reported figure, or description.

A sentence is a candidate proposition when it holds a future or modal form ("will", "may",
"should", "could", "would"); a verb of intention in any inflection before its complement
("plans to", "intended to", "agreed that", "aimed at"); any form of "be" with a predicate of
intention or expectation, adverbs allowed between ("is also scheduled to", "was ready to", "are
simply obliged to", "is set to", "it is planned", "is projected"); a verb of planning in any
inflection ("envisions", "foresaw", "stipulates"); likelihood as a noun ("has a real chance to",
"there is every chance that", "the chances of … are high"); a plan named as a noun ("disclosed
plans for", "intentions to", "the roadmap provides for", "these include", "work is underway",
"the goal of"); a goal word ("target", "roadmap") with a year still to come or an action ("to
build", "to supply"). Grammar rather than phrase lists: one pattern per form, so unseen phrasings
of a form are read too. It is a reported figure when it gives an amount with a past year and no
such form. Everything else is description. The month May is not the modal "may", "is due to the
harvest" is a cause, "had been scheduled for 2020" a plan of the past, and "the projected deficit"
is no forecast; questions, "should be regarded as" readings and conversational phrases ("I would
like to note", "I must say") are skipped, but a statement that ends by quoting a question
("…, a trend may mature with a question: “Why am I enduring this?”") is read by its own words.
The cue that decided is kept, so the draft can say why each candidate is there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_INTENDING = (  # verbs of intention in any inflection, before their complement
    r"plans?|planned|planning|intends?|intended|intending|aims?|aimed|aiming|hopes?|hoped|hoping|seeks?|seeking|sought|"
    r"strives?|striving|strove|pledges?|pledged|pledging|promises?|promised|vows?|vowed|undertakes?|undertook|"
    r"agrees?|agreed|agreeing|commits?|committed|committing"
)
FUTURE = (
    r"will|won['’]t|shall|['’]ll|would|is to|are to|"
    rf"(?<!action )(?:{_INTENDING})\s+(?:to|that)|(?<!action )(?:plans?|planned|planning)\s+for|(?:aims?|aimed|aiming)\s+(?:at|for)|expects?|promised|pledged|vowed|predicts?|forecasts? (?:that|\w+ to)|"
    r"disclosed plans|intentions? (?:to|for)|(?<!to )provides? for|these include|upcoming|in the near future|in the coming|"
    r"to be built|to be launched|meant to|(?:is|are) starting to|(?:we are now|are|is) implementing|"
    r"there is an idea|there is an agreement|our aim|the aim is|the goal of|goal is to|goal to|the task (?:is|of)|task set|"
    r"set the (?:goal|task)|(?:plans|preparations) (?:are|is) (?:underway|under way|being made|afoot)|"
    r"work is underway|works? (?:is|are) under way|(?:increases?|raises?|heightens?) the (?:likelihood|probability) of|"
    r"(?:is|am|are) confident that|expressed hope|(?:we|they|I|you) (?:plan|intend|expect|aim|hope)|projected (?:to|at|for)|"
    r"ha(?:ve|s) everything (?:we|they|it|you|he|she) needs? to(?= (?:further )?(?:increase|raise|boost|reach|double|exceed|build|expand|grow|develop|bring)\b)"
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
# a predicate of intention or expectation after any form of "be", adverbs allowed between ("is also scheduled to",
# "was ready to", "are firmly determined to", "is set to"): one grammar instead of a list of its phrases
BE = r"(?:is|are|was|were|be|been|being|am|['’]s|['’]re)"
DISPOSED = (r"scheduled|expected|planned|set|going|supposed|ready|prepared|willing|determined|likely|unlikely|"
            r"poised|slated|intended|obliged|obligated|committed|bound|about|keen|eager|aiming|planning|seeking|"
            r"hoping|looking|projected|forecast|predicted|anticipated|envisaged|envisioned|meant")
_ADVERBS = r"(?:(?:also|still|now|already|not|currently|reportedly|officially|tentatively|being|\w+ly)\s+){0,2}"
INTENT = (rf"{BE}\s+{_ADVERBS}(?:{DISPOSED})\s+to|"  # and a plan or forecast in the passive, "it is planned", "is scheduled for May"
          rf"{BE}\s+{_ADVERBS}(?:scheduled|planned|envisaged|envisioned|forecast|projected|slated)")
# verbs of planning and expecting in any inflection ("envisions GDP growth of", "foresaw", "stipulates")
PLAN_VERBS = r"envisag\w*|envision\w*|foresee\w*|foresaw|stipulat\w*|anticipat\w*|earmark\w*"
# likelihood as a noun: "has a real chance to", "there is every chance that", "the chances of … are high"
_LIKELY = r"chances?|possibilit(?:y|ies)|likelihood|probability|odds"
LIKELIHOOD = (
    rf"(?:ha(?:s|ve|d)|there\s+(?:is|are|was|were))\s+(?:(?:a|an|every|good|real|high|fair|strong|great|some|no|little)\s+){{0,2}}"
    rf"(?:{_LIKELY})\s+(?:to|of|that|for)|"
    rf"(?:{_LIKELY})\s+(?:of|for|that)\b[^.;]{{0,200}}?\b(?:is|are|remains?|look|looks|seems?)\s+(?:\w+\s+)?"
    rf"(?:high|low|good|slim|strong|growing|rising|increasing|considerable|significant|substantial|real|great)"
)
FUTURE_RE = re.compile(rf"\b(?:{FUTURE}|{INTENT}|{PLAN_VERBS}|{LIKELIHOOD})\b", re.IGNORECASE)
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
QUOTES = re.compile(r"[“”\"«»]")  # quotation marks inside a clause ("was “ready to cooperate”") are no words
PAST_PLAN = re.compile(r"\bhad\s+(?:\w+\s+)?been\s+(?:scheduled|planned|expected|set|slated|due)\b", re.IGNORECASE)  # "had initially been scheduled for 2020"


@dataclass(frozen=True)
class Cue:
    """Why a sentence was kept: its class, the words that decided, and a rank score."""

    kind: str  # proposition | observation
    words: str
    score: float
    at: int = -1  # where the words start in the sentence


def classify(sentence: str, has_amount: bool, has_actor: bool, year: int | None = None) -> Cue | None:
    """The class of a sentence, or None for pure description; `year` is when it was said."""
    if HYPOTHETICAL.search(sentence) or INTERPRETIVE.search(sentence):
        return None
    if QUESTION_END.search(sentence):
        quoted = QUOTED_QUESTION.search(sentence)
        if not quoted:
            return None
        sentence = sentence[:quoted.start()]  # a statement that ends by quoting a question: its own words decide
    lowered = sentence[:1].lower() + sentence[1:]
    for skipped in (CONVERSATIONAL, PAST_PLAN, QUOTES):  # blanked, not cut: offsets stay those of the sentence
        lowered = skipped.sub(lambda m: " " * len(m.group(0)), lowered)
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
        return Cue("proposition", cue.group(0), score, cue.start())
    if planning and re.search(rf"\bto\s+(?:further\s+)?(?:{ACTION})", sentence[planning.end():], re.IGNORECASE):
        return Cue("proposition", planning.group(0), 1.0 + 0.5 * has_actor, planning.start())
    coming = [y for y in FUTURE_YEAR.findall(sentence) if year is not None and int(y) > year]
    if planning and coming:
        return Cue("proposition", f"{planning.group(0)} … {coming[-1]}", 1.0 + 0.5 * has_actor, planning.start())
    if has_amount and PAST_YEAR.search(sentence):
        return Cue("observation", PAST_YEAR.search(sentence).group(0), 0.0)  # type: ignore[union-attr]
    return None

