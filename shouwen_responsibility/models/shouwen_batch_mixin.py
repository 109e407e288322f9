# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict
from contextlib import contextmanager

from markupsafe import Markup

from odoo import Command, api, models

from ..tools import ambient


class ShouwenBatchMixin(models.AbstractModel):
    """Activities, chatter notes and followers of many records written at
    once (the follow-up sweep, a batch of registrations), with one digest
    email per person instead of one email per activity.

    Batching is explicit where it happens: a block opened by
    :meth:`_activities_in_batch` (or, for the defaults of a batch creation,
    ``ambient.defaults_shared()``); the state it collects lives in
    ``tools/ambient.py``, where no client can set it.  Outside a block, each
    call writes at once as Odoo does."""

    _name = "shouwen.batch.mixin"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Batched activities and notes"

    @api.model
    def _add_missing_default_values(self, values):
        memo = ambient.DEFAULTS.get()
        if memo is None:
            return super()._add_missing_default_values(values)
        key = (self._name, self.env, frozenset(values))
        if key not in memo:
            completed = super()._add_missing_default_values(values)
            memo[key] = {k: v for k, v in completed.items() if k not in values}
            return completed
        return {**memo[key], **values}

    @api.model
    @contextmanager
    def _activities_in_batch(self):
        """Activities scheduled (:meth:`_schedule_activity`) and notes queued
        (:meth:`_queue_note`) on records of this model inside the block are
        created together when it ends, and each person gets one email listing
        theirs (a digest) instead of one email per activity.  Nothing is
        created if the block fails."""
        with ambient.batch(self._name) as batch:
            yield
        self._create_activities(batch.activities)
        self._log_notes(batch.notes)

    def _queue_note(self, body, subject=False):
        """Inside :meth:`_activities_in_batch`, queue a chatter note ``body``
        (html) on each record, written with the others when the batch ends;
        returns whether it was queued (outside a batch: nothing done)."""
        batch = ambient.collected(self._name)
        if batch is None:
            return False
        batch.notes.extend((record, body, subject) for record in self)
        return True

    @api.model
    def _log_notes(self, notes):
        """Chatter notes ``[(record, html body, subject or False), …]``
        written at once, by the current user; they notify nobody, as a note
        posted by hand."""
        if not notes:
            return
        author_id, email_from = self._message_compute_author(raise_on_email=False)
        note = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        records = self.browse([record.id for record, _body, _subject in notes])
        reply_to = records._notify_get_reply_to(default=email_from)
        self._message_create(
            [
                {
                    "model": self._name,
                    "res_id": record.id,
                    "subject": subject,
                    "body": body,
                    "author_id": author_id,
                    "email_from": email_from,
                    "reply_to": reply_to[record.id],
                    "message_type": "notification",
                    "subtype_id": note,
                    "is_internal": True,
                }
                for record, body, subject in notes
            ]
        )

    @api.model
    def _create_activities(self, batch):
        if not batch:
            return
        model_id = self.env["ir.model"]._get_id(self._name)
        types = {}
        # one to-do per record, person and type: the batch's own duplicates
        # merged (the earliest deadline kept), then those already open kept
        wanted = {}
        for record, xmlid, user, summary, note, date_deadline in batch:
            if xmlid not in types:
                types[xmlid] = self.env.ref(xmlid)
            activity_type = types[xmlid]
            deadline = date_deadline or activity_type._get_date_deadline()
            key = (record.id, activity_type.id, user.id)
            if key in wanted:
                if deadline < wanted[key][4]:
                    wanted[key] = (*wanted[key][:4], deadline)
                continue
            wanted[key] = (record, user, summary, note, deadline)
        open_ones = self.browse(list({key[0] for key in wanted}))._open_activities(
            list({key[1] for key in wanted}), list({key[2] for key in wanted})
        )
        vals_list = []
        per_user = defaultdict(list)
        earlier = defaultdict(list)
        for key, (record, user, summary, note, deadline) in wanted.items():
            existing = open_ones.get(key)
            if existing:
                if deadline < existing[1]:
                    earlier[deadline].append(existing[0])
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": record.id,
                    "activity_type_id": key[1],
                    "summary": summary,
                    "note": note or False,
                    "user_id": user.id,
                    "date_deadline": deadline,
                }
            )
            per_user[user].append((record, summary))
        self._advance_activities(earlier)
        if not vals_list:
            return
        # the assignees follow the records: the creation subscribes them per
        # assignee, collected here and inserted at once
        with ambient.followers(self._name) as (_model, subscriptions):
            self.env["mail.activity"].with_context(
                mail_activity_quick_update=True
            ).create(vals_list)
        self._subscribe_at_once(subscriptions)
        author = self.env.user
        if not author.email:
            return  # no sender: the activities are in each person's systray
        digests = []
        base_url = self.browse().get_base_url()
        for user, todos in per_user.items():
            if not user.email or user == author:
                continue
            env = self.with_context(lang=user.lang).env
            digests.append(
                {
                    "subject": env._(
                        "First-inquiry follow-up: %(count)s new to-dos",
                        count=len(todos),
                    ),
                    # each to-do opens its record (after the reader logs in,
                    # under their own rights)
                    "body_html": Markup("<ul>%s</ul>")
                    % Markup().join(
                        Markup(
                            '<li><a href="%s/mail/view?model=%s&amp;res_id=%s">'
                            "%s</a></li>"
                        )
                        % (base_url, self._name, record.id, summary)
                        for record, summary in todos
                    ),
                    "email_from": author.email_formatted,
                    "recipient_ids": [Command.link(user.partner_id.id)],
                    "auto_delete": True,
                }
            )
        # sudo: each digest goes to the assignee of the activities it lists, nobody else
        self.env["mail.mail"].sudo().create(digests)

    def _message_subscribe(self, partner_ids=None, subtype_ids=None, customer_ids=None):
        model, batch = ambient.FOLLOWERS.get() or (None, None)
        if model != self._name or subtype_ids or not self.env.su or not partner_ids:
            return super()._message_subscribe(partner_ids, subtype_ids, customer_ids)
        # the system creating a batch of activities: subscribed together, once
        # message_subscribe has checked the rights and the partners
        batch.append((self.ids, list(partner_ids)))
        return True

    @api.model
    def _subscribe_at_once(self, subscriptions):
        """``[(record ids, partner ids), …]`` subscribed with their default
        subtypes as ``message_subscribe`` does it, existing followers kept as
        they are: one query for those who already follow, one creation."""
        pairs = {
            (mid, pid) for mids, pids in subscriptions for mid in mids for pid in pids
        }
        if not pairs:
            return
        # sudo: the system's own batch (message_subscribe checked env.su and
        # kept the active partners only)
        Followers = self.env["mail.followers"].sudo()
        partners = (
            self.env["res.partner"].sudo().browse(list({pid for _, pid in pairs}))
        )
        existing = {
            (res_id, partner_id)
            for _fid, res_id, partner_id, _sids in Followers._get_subscription_data(
                [(self._name, list({mid for mid, _pid in pairs}))], partners.ids
            )
        }
        default, _internal, external = self.env[
            "mail.message.subtype"
        ].default_subtypes(self._name)
        customers = set(partners.filtered("partner_share").ids)
        Followers.create(
            [
                {
                    "res_model": self._name,
                    "res_id": mid,
                    "partner_id": pid,
                    "subtype_ids": [
                        Command.set(external.ids if pid in customers else default.ids)
                    ],
                }
                for mid, pid in sorted(pairs - existing)
            ]
        )

    def _schedule_activity(self, xmlid, user, summary, note=None, date_deadline=None):
        """An activity of type ``xmlid`` for ``user`` on each record, its
        assignee subscribed; inside :meth:`_activities_in_batch`, collected
        for the batch.  A person has one open to-do per record and type: where
        one is open already it is kept (its deadline brought forward to
        ``date_deadline`` if that is earlier), none is added."""
        batch = ambient.collected(self._name)
        if batch is not None:
            batch.activities.extend(
                (record, xmlid, user, summary, note, date_deadline) for record in self
            )
            return
        activity_type = self.env.ref(xmlid)
        deadline = date_deadline or activity_type._get_date_deadline()
        open_ones = self._open_activities(activity_type.ids, user.ids)
        earlier = defaultdict(list)
        new = self.browse()
        for record in self:
            existing = open_ones.get((record.id, activity_type.id, user.id))
            if not existing:
                new |= record
            elif deadline < existing[1]:
                earlier[deadline].append(existing[0])
        self._advance_activities(earlier)
        if not new:
            return
        # staff without an email address still get the activity (systray),
        # only the notification email needs a sender
        quiet = not self.env.user.email
        new.with_context(mail_activity_quick_update=quiet).activity_schedule(
            xmlid,
            date_deadline=deadline,
            user_id=user.id,
            summary=summary,
            note=note,
        )
        new.message_subscribe(partner_ids=user.partner_id.ids)

    def _open_activities(self, type_ids, user_ids):
        """``{(record id, activity type id, user id): (activity id, deadline)}``
        of the open activities of these types and users on these records, in
        one query."""
        if not self.ids or not type_ids or not user_ids:
            return {}
        # sudo: only whether a to-do is open already, to add none twice;
        # nothing of it is returned to the caller
        rows = (
            self.env["mail.activity"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "in", type_ids),
                    ("user_id", "in", user_ids),
                ],
                ["res_id", "activity_type_id", "user_id", "date_deadline"],
                order="date_deadline, id",
            )
        )
        found = {}
        for activity in rows:
            key = (activity.res_id, activity.activity_type_id.id, activity.user_id.id)
            found.setdefault(key, (activity.id, activity.date_deadline))
        return found

    @api.model
    def _advance_activities(self, earlier):
        """Bring forward the deadline of open activities: ``{date: [activity
        ids]}``, one write per date."""
        # sudo: the deadline of a to-do the system would have scheduled now,
        # kept instead of a second one
        Activity = self.env["mail.activity"].sudo()
        for deadline, ids in earlier.items():
            Activity.browse(ids).write({"date_deadline": deadline})
