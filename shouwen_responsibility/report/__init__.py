from . import shouwen_matter_slip
