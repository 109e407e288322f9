from . import test_access
from . import test_registration_advice
from . import test_ui_tour
from . import test_unit
from . import test_wizard
from . import test_workflow
from . import test_i18n
