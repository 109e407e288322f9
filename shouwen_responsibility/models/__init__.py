from . import shouwen_unit
from . import shouwen_post
from . import res_users
from . import shouwen_matter_log
from . import shouwen_matter_part
from . import shouwen_matter
