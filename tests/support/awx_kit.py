"""The AWX project kit (examples/awx_project): its controller objects as configuration as code."""
import json
import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KIT = os.path.join(REPO, "examples", "awx_project")
CONTROLLER_DATA = os.path.join(KIT, "controller", "genesys_cloud.yml")


def read_yaml(path):
    """A YAML file of the kit read as Ansible reads it (``!unsafe`` included), as plain data."""
    from ansible.parsing.utils.yaml import from_yaml

    with open(path) as handle:
        return json.loads(json.dumps(from_yaml(handle.read(), file_name=path)))


def controller_data():
    """controller/genesys_cloud.yml, the variables of infra.controller_configuration."""
    return read_yaml(CONTROLLER_DATA)


def credential_type():
    (only,) = controller_data()["controller_credential_types"]
    return only


def job_template(playbook):
    """The job template of the kit that runs ``playbook``."""
    (found,) = [template for template in controller_data()["controller_templates"] if template["playbook"] == playbook]
    return found


def survey_defaults(survey_spec):
    """The extra variables a job gets from a survey nobody changed: each question's default."""
    return dict((question["variable"], question["default"]) for question in survey_spec["spec"])
