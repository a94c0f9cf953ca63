"""What the demo's reviewers write: comments on each value at each level, in the voices of a peer
reviewer (staff from another service) and a lived-experience reviewer; the lead's reasons for an
agreed rating; strengths and areas for development tied to the criterion they are about.

Long because it holds the demo's words, and words read as real only when there are enough of them.

Every text fits the level it sits beside: a Met comment never says "little sign of it", a Not met
comment never praises. Texts name the people and the place in the service's own terms ({people},
{place}, {meeting}): men on a wing, residents in a hostel, patients on a ward, members of a
community, young people in a children's home.
"""

from reviews.selfassessment.demo import MET, NOT_MET, PARTLY

PEER, LIVED = "peer", "lived"

# {value code: {level: {voice: [comments]}}}
COMMENTS = {
    "BEL": {
        MET: {
            PEER: ["{People} we met on the tour greeted staff by name, and staff knew their stories without looking "
                   "anything up.",
                   "The welcome pack was written by {people}, and the two newest arrivals told us someone sat with "
                   "them on their first evening."],
            LIVED: ["I was shown round by two of {people}, and they talked about {place} as theirs. That does not "
                    "happen unless people feel they belong.",
                    "Nobody was left on their own at lunch. It felt like a place where you would be missed."],
        },
        PARTLY: {
            PEER: ["Staff on the day shift spend time in the shared spaces, but the evening rota leaves little time "
                   "for it, and {people} noticed.",
                   "Arrivals are welcomed well on weekdays; two of {people} who came at a weekend said nobody "
                   "showed them round."],
            LIVED: ["Some of {people} clearly feel at home here, but a couple told me they still feel like guests "
                    "after months.",
                    "The lounge is lovely, but the corridors still look like an institution. {People} want a say in "
                    "that too."],
        },
        NOT_MET: {
            PEER: ["We saw staff mostly in the office; conversations on the floor were about tasks and rules.",
                   "There is no agreed way of welcoming new arrivals, and leavers are not marked at all."],
            LIVED: ["Nobody I spoke to could tell me the name of a member of staff they felt close to. That worried me.",
                    "When I asked about the last person who left, {people} shrugged: they did not get to say "
                    "goodbye."],
        },
    },
    "BOU": {
        MET: {
            PEER: ["Every one of {people} we asked could explain the main rules and why they are there; the rules "
                   "were reviewed at {meeting} in the spring.",
                   "Responses to the last three incidents were recorded, explained to the person and discussed at "
                   "{meeting}; they were consistent."],
            LIVED: ["The rules here are the community's own. {People} told me they had changed one last month "
                    "because it was not working.",
                    "Staff were warm but clear. You know where you stand, and that makes it feel safe."],
        },
        PARTLY: {
            PEER: ["The rules are clear, but {people} felt sanctions depend on who is on shift.",
                   "Agreements made at {meeting} are written down, but nobody has looked at them again this year."],
            LIVED: ["Most people knew the rules, but someone who arrived recently told me they learned them by "
                    "getting them wrong.",
                    "Repair after a falling-out happens when staff have time, which is not always."],
        },
        NOT_MET: {
            PEER: ["{People} could not tell us what the main rules were or who had made them.",
                   "The incident log shows very different responses to similar events, with no explanation given "
                   "to the people involved."],
            LIVED: ["It felt like rules came down from the office. Nobody I met had ever been asked about them.",
                    "One of {people} said that after a row, you just get punished and it is never talked about again."],
        },
    },
    "COM": {
        MET: {
            PEER: ["Staff talked about what behaviour might be saying before they talked about managing it; the "
                   "formulations we read back this up.",
                   "Changes to the regime were explained at {meeting} and in an easy-read sheet on the noticeboard."],
            LIVED: ["People here say hard things to each other, and they say them kindly. I heard it in the meeting.",
                    "Someone who does not read well told me staff always go through letters with them."],
        },
        PARTLY: {
            PEER: ["Formulation is used in key-work, but it has not yet reached the night team.",
                   "News reaches {people} at {meeting}, but those who miss it often hear second-hand."],
            LIVED: ["You can be heard if you are confident in a group. The quieter ones told me it is harder.",
                    "Interpreting is there if you ask, but nobody told the two people I met who needed it."],
        },
        NOT_MET: {
            PEER: ["Incident records describe behaviour only as something to stop; we saw no attempt to understand it.",
                   "{People} learned about the change to visiting times from a notice, on the day it started."],
            LIVED: ["One of {people} said that if you kick off, nobody asks why. They just write you up.",
                    "There was no way to be heard except in the big meeting, and most people do not speak there."],
        },
    },
    "DEV": {
        MET: {
            PEER: ["Staff and {people} train together; the art group was started by one of {people} last year and "
                   "still runs.",
                   "Reflective practice happens every fortnight and the notes show changes that came out of it."],
            LIVED: ["People are allowed to try things and get them wrong here. The garden project failed twice "
                    "before it worked, and they laughed about it.",
                    "Everyone I met could tell me a goal they were working on, in their own words."],
        },
        PARTLY: {
            PEER: ["Goal-setting happens at review meetings, but {people} could not always say what their goals were.",
                   "Reflective practice is planned monthly, but the log shows it cancelled three times this year."],
            LIVED: ["There is fun here, but mostly when one particular member of staff is on.",
                    "Ideas from {people} get listened to, but few of them get tried."],
        },
        NOT_MET: {
            PEER: ["We found no record of reflective practice since the spring, and staff said it had lapsed.",
                   "There are no learning opportunities for {people} beyond what is compulsory."],
            LIVED: ["Nobody I spoke to could remember the last time they tried something new here.",
                    "It felt flat. Days are the same, and people have stopped suggesting things."],
        },
    },
    "INV": {
        MET: {
            PEER: ["{Meeting} is chaired by {people} in turn; the minutes show decisions followed up within the week.",
                   "{People} sit on interview panels for new staff, and two of the current team were chosen that "
                   "way."],
            LIVED: ["I sat in on {meeting}: {people} ran it, staff joined in as equals, and a decision got made.",
                    "Everyone I met had a job that mattered, from the kitchen rota to welcoming visitors."],
        },
        PARTLY: {
            PEER: ["{Meeting} happens weekly, but staff set the agenda and most items are information.",
                   "{People} help write their plans, though several said the final version was not shown to them."],
            LIVED: ["The meeting is there, but the same few voices fill it. Others told me they do not bother.",
                    "Jobs exist, but they are about chores more than having a real say."],
        },
        NOT_MET: {
            PEER: ["{Meeting} has not run since the summer, and there is no other forum for {people}.",
                   "Plans are written by staff and signed by {people} afterwards; nobody we asked had shaped theirs."],
            LIVED: ["{People} told me they have no say in anything that matters here.",
                    "I asked who decides things, and the answer was always the office."],
        },
    },
    "SAF": {
        MET: {
            PEER: ["Staff supervision is monthly and recorded; the team described debriefs after the last incident "
                   "that included {people}.",
                   "Every one of {people} we asked could name who they would go to at night, and the night staff "
                   "confirmed it."],
            LIVED: ["I asked about bullying and {people} said it gets talked about openly at {meeting}. I believed "
                    "them.",
                    "Restraint is rare here, and when it happened last month the person was asked about it "
                    "afterwards."],
        },
        PARTLY: {
            PEER: ["Debriefs happen after serious incidents, but not after the smaller ones that still upset people.",
                   "Supervision is in place for permanent staff; agency staff have none."],
            LIVED: ["Days feel safe. A couple of {people} said nights are a different story.",
                    "Bullying is dealt with when staff see it, but not much is said about it in the community."],
        },
        NOT_MET: {
            PEER: ["Staff said supervision has been cancelled for months because of staffing.",
                   "There were no debriefs after the two incidents recorded last quarter, for staff or {people}."],
            LIVED: ["{People} could not tell me who to go to at night. One said you just keep your head down.",
                    "Talking to {people}, I heard about bullying that staff did not seem to know about."],
        },
    },
    "STR": {
        MET: {
            PEER: ["The weekly timetable is on every noticeboard, and the record shows it ran as planned nine weeks "
                   "in ten.",
                   "Every one of {people} has a named key worker, and key-work sessions are kept even when {place} "
                   "is busy."],
            LIVED: ["{People} run two of the groups themselves. The day has a shape, and people know it.",
                    "People told me their key worker turns up when she says she will. That matters more than "
                    "anything."],
        },
        PARTLY: {
            PEER: ["There is a clear timetable, but activities are the first thing cancelled when staffing is short.",
                   "Key-work happens, but the records show gaps of several weeks for some of {people}."],
            LIVED: ["Mornings are full; afternoons are mostly waiting around.",
                    "Familiar faces most of the time, but agency staff at weekends mean the routine slips."],
        },
        NOT_MET: {
            PEER: ["We could not find a timetable that matched what happened on the day.",
                   "Several of {people} have had no one-to-one time in the last month."],
            LIVED: ["There is nothing to do after lunch. {People} told me the days all run into each other.",
                    "People did not know who their key worker was this week."],
        },
    },
    "EMP": {
        MET: {
            PEER: ["The complaints log shows every complaint answered within a fortnight, and two led to changes "
                   "{people} could point to.",
                   "A chart of who decides what is on the wall, and {people} used it to question a decision while we "
                   "were there."],
            LIVED: ["Power gets talked about openly here. Staff said when they had got a decision wrong.",
                    "{People} knew their rights and how to reach the advocate, who visits weekly."],
        },
        PARTLY: {
            PEER: ["Complaints are answered, but not always in plain words, and {people} were unsure what changed.",
                   "The advocate visits, but not all of {people} knew how to ask for her."],
            LIVED: ["People can question decisions, but some said they worry it counts against them.",
                    "Choices in daily life are real, but the reasons for limits are not always explained."],
        },
        NOT_MET: {
            PEER: ["Two complaints from the spring have no reply on file.",
                   "{People} did not know who makes decisions about their day or how to challenge them."],
            LIVED: ["Several of {people} told me they would never complain, because of what might happen after.",
                    "Nobody I met had heard of the advocacy service."],
        },
    },
    "LEA": {
        MET: {
            PEER: ["The manager joined {meeting} and the lunch; {people} clearly know her and talk to her easily.",
                   "Staffing is planned around relationships: key workers' shifts are protected and cover is from a "
                   "regular bank."],
            LIVED: ["Leaders here own their mistakes. The manager told us about one at the feedback, unprompted.",
                    "{People} said the manager is around every day and knows everyone's name."],
        },
        PARTLY: {
            PEER: ["The manager is visible on weekdays, but the audit results are not yet shared with {people}.",
                   "Staffing meets the minimum, but relational work is squeezed when there are vacancies."],
            LIVED: ["People know the manager, but they told me the senior managers above her never come.",
                    "The values are on the wall. Most staff live them; not all of the leaders do yet."],
        },
        NOT_MET: {
            PEER: ["Vacancies have been covered by different agency staff every week since the summer.",
                   "The service does not check how it is doing, and no results were shared with anyone."],
            LIVED: ["{People} could not tell me who the manager was.",
                    "Staff told me they would not raise a mistake with the leaders, for fear of blame."],
        },
    },
    "OPE": {
        MET: {
            PEER: ["{Place} has visited two other services this year and hosted one; what they learned is in the "
                   "minutes.",
                   "Move-on planning starts early, with links to a college course and a local football club."],
            LIVED: ["{People} showed us round and were proud to. Visitors clearly come often.",
                    "Families are welcome and people are helped to keep in touch; I met a parent visiting while we "
                    "were there."],
        },
        PARTLY: {
            PEER: ["Links with outside groups exist, but most lapsed during the refurbishment and are not yet back.",
                   "Family contact is supported, but visiting times are hard for families who work."],
            LIVED: ["People are helped to plan for leaving, but the help starts late, a few weeks before.",
                    "Visitors come, but {people} are not usually asked to show them round."],
        },
        NOT_MET: {
            PEER: ["We found no contact with other services or outside groups in the last year.",
                   "There is no move-on planning until the week someone leaves."],
            LIVED: ["{People} said nobody from outside ever comes in, apart from inspectors.",
                    "One of {people} had lost touch with family since arriving, and nobody had helped."],
        },
    },
}

NOT_APPLICABLE_COMMENT = "Not something {place} does: there is no outside space, so we did not rate it."
ABSTAIN_REASON = "Staff supervision was not something I could see on the day."

# The lead's reasons for an agreed rating that differs from another view: what the level means
# here, then why the team weighed the views as it did.
RATIONALES = {
    MET: ["On balance the team agreed Met: {people} described this happening reliably, and the records we read "
          "bear it out.",
          "The team agreed Met: what we saw on the day, what {people} told us in their own meeting and the staff "
          "account all point the same way."],
    PARTLY: ["The team agreed Partly met: this happens for some of {people} and on some shifts, but not yet "
             "reliably.",
             "The team agreed Partly met: the practice is there on weekdays, but {people} described evenings and "
             "weekends differently."],
    NOT_MET: ["The team agreed Not met: beyond the written policy we found little sign of this in practice.",
              "The team agreed Not met: {people} and staff could not give us examples, and the records are empty."],
}
HIGHER_THAN_STAFF = "The service rated itself more cautiously than what we saw and heard on the day."
LOWER_THAN_STAFF = "The service rated itself higher; we could not find it happening across every shift."
AS_STAFF = "We weighed the reviewers' different notes against what {people} said in their own meeting."

# Strengths and areas for development, each about one criterion (by code, the same in both
# editions): a strength is recorded only where the team agreed Met, a development only where not.
STRENGTHS = {
    "BEL.1": "New arrivals are welcomed by a member of staff and a buddy from {people}, and shown round on their "
             "first day.",
    "BEL.2": "Staff and {people} eat together daily; relationships are warm and people are known as individuals.",
    "BOU.2": "{People} made and revisit their own agreements about how people treat each other.",
    "COM.2": "Changes are explained at {meeting} and in easy-read notes, so nobody hears about them second-hand.",
    "DEV.5": "Reflective practice runs every fortnight for the whole team, and its notes show what changed as a "
             "result.",
    "INV.1": "{People} chair {meeting} in turn, and decisions made there are acted on within the week.",
    "INV.2": "Everyone has a real role, from the kitchen rota to welcoming visitors, and the roles are valued.",
    "SAF.3": "After incidents everyone affected is offered time to talk it through, including staff.",
    "STR.5": "Key-work sessions are kept even on busy days, and {people} value their named worker.",
    "EMP.2": "The 'you said, we did' board is current and {people} could point to changes they had asked for.",
    "LEA.1": "The manager is part of everyday life: at {meeting}, at lunch, and known to everyone by name.",
    "OPE.4": "Move-on planning starts early and links {people} with college courses and local groups.",
}
DEVELOPMENTS = {
    "BEL.4": ("Leavings are not marked: {people} rarely get to say goodbye when someone moves on.",
              "Agree with {people} a way of marking arrivals and leavings, and start it at {meeting}.",
              "Service lead with two of {people}"),
    "BOU.3": ("Responses to incidents vary by shift, and {people} do not always know why.",
              "Review the last quarter's incidents with {people} at {meeting} and agree how responses are explained.",
              "Deputy manager"),
    "COM.1": ("Night staff have not yet had formulation training, and {people} notice the difference at night.",
              "Include night staff in the next formulation training day.", "Psychologist"),
    "DEV.5": ("Reflective practice is often cancelled when {place} is short-staffed.",
              "Protect reflective practice on the rota, and include night staff from the next cycle.",
              "Deputy manager"),
    "INV.3": ("{People} have little say in how {place} is run beyond day-to-day matters.",
              "Invite two of {people} to sit on the next staff interview panel.", "Service lead"),
    "SAF.2": ("Supervision has lapsed for some staff, and agency staff have none.",
              "Restart monthly supervision for every member of staff, agency staff included, and record it.",
              "Service lead"),
    "SAF.3": ("Debriefs happen after serious incidents only, not after the smaller ones that still upset people.",
              "Offer a short debrief after every incident, for staff and {people} alike.", "Senior on shift"),
    "STR.1": ("Activities are the first thing cancelled when staffing is short.",
              "Keep the afternoon groups running, with {people} leading two of them.", "Activities coordinator"),
    "EMP.2": ("The complaints route is written for staff, not for {people}; several were unsure how to use it.",
              "Rewrite the complaints leaflet with {people}, in plain words, and go through it at induction.",
              "Service lead with two of {people}"),
    "EMP.3": ("Not all of {people} know how to reach the independent advocate.",
              "Invite the advocate to {meeting} every month and put her details on every noticeboard.",
              "Key workers"),
    "LEA.4": ("The results of the service's own checks are not shared with {people}.",
              "Share the quarterly audit results at {meeting}, with what will change.", "Service lead"),
    "OPE.2": ("Links with local groups and services outside have lapsed since the refurbishment.",
              "Renew contact with the local library and the allotment society.", "Activities coordinator"),
}

GENERAL_DEVELOPMENT = ("This is not yet reliable on every shift, and {people} notice the difference.",
                       "Agree with {people} at {meeting} what would make this reliable, and review it in three "
                       "months.", "Service lead")


def comments_at(level_value, words):
    """Every comment a reviewer may write beside a rating at this level, in this service's words."""
    return {text.format(**words) for value in COMMENTS.values() for voice in value[level_value].values()
            for text in voice}
