from . import shouwen_matter_wizard
from . import shouwen_trail_verify
from . import shouwen_staff_wizard
from . import shouwen_figures_wizard
