from . import shouwen_unit
from . import shouwen_post
from . import res_users
from . import res_partner
from . import shouwen_append_only_mixin
from . import shouwen_matter_log
from . import shouwen_personal_data_mixin
from . import shouwen_personal_view
from . import shouwen_matter_part
from . import shouwen_calendar_day
from . import resource_calendar
from . import shouwen_time_policy
from . import shouwen_notice_template
from . import shouwen_followup
from . import shouwen_extension
from . import shouwen_matter
from . import shouwen_matter_followup
from . import shouwen_matter_complaint
from . import shouwen_complaint_representative
from . import shouwen_handover
from . import shouwen_matter_discipline
from . import shouwen_matter_report
from . import shouwen_monthly_report
from . import ir_qweb
from . import ir_http
from . import mail_message
from . import mail_tracking_value
from . import shouwen_finding
from . import shouwen_unit_letter
from . import shouwen_matter_letter
from . import shouwen_online_attempt
from . import shouwen_matter_online
from . import mail_thread
from . import mail_activity
from . import ir_attachment
from . import shouwen_matter_chatter
from . import shouwen_matter_reclassify
from . import mail_scheduled_message
from . import shouwen_matter_trail
from . import base_automation
from . import ir_config_parameter

# last: the values a matter takes are checked before any other extension
from . import shouwen_matter_values

# a leaf: the buttons' last word and the work queue built on them
from . import shouwen_matter_queue
from . import shouwen_unit_queue
