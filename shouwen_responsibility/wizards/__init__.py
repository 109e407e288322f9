from . import shouwen_matter_wizard
