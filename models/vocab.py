"""The fixed vocabularies of the domain, with their Arabic labels.

Each vocabulary maps the stored English key to the Arabic label a user sees. Keys are
what the database, JSON output and command line use; labels are for people.
"""

from __future__ import annotations

ACTIVITY_KINDS: dict[str, str] = {
    "workshop": "ورشة عمل",
    "course": "دورة تدريبية",
    "meeting": "اجتماع دوري",
    "conference": "مؤتمر",
    "seminar": "ندوة",
    "field_visit": "زيارة ميدانية",
    "campaign": "حملة توعوية",
    "press_release": "بيان صحفي",
    "coverage": "تغطية إعلامية",
    "other": "نشاط آخر",
}

ACTIVITY_STATUSES: dict[str, str] = {
    "draft": "مسودة",
    "approved": "معتمد",
    "sent": "مرسل",
}

GENDERS: dict[str, str] = {"m": "ذكر", "f": "أنثى"}

RECOMMENDATION_STATUSES: dict[str, str] = {
    "raised": "مرفوعة",
    "in_progress": "قيد التنفيذ",
    "done": "منفذة",
    # The key predates the label: a recommendation that could not be carried out
    # (متعذرة), whoever's reason. Stored rows keep the key.
    "rejected": "متعذرة",
}

MEDIA: dict[str, str] = {
    "tv": "تلفزيون",
    "radio": "إذاعة",
    "press": "صحافة",
    "news_agency": "وكالة أنباء",
    "website": "موقع إلكتروني",
    "facebook": "فيسبوك",
    "x": "إكس",
    "instagram": "إنستغرام",
    "telegram": "تيليغرام",
    "youtube": "يوتيوب",
    "other": "أخرى",
}

LEVELS: dict[str, str] = {"local": "محلي", "regional": "إقليمي", "international": "دولي"}

TONES: dict[str, str] = {"positive": "إيجابي", "neutral": "محايد", "negative": "سلبي"}

PRIORITIES: dict[str, str] = {"high": "عالية", "medium": "متوسطة", "low": "منخفضة"}

PLAN_ITEM_STATUSES: dict[str, str] = {
    "planned": "مخطط",
    "done": "منفذ",
    "postponed": "مؤجل",
    "cancelled": "ملغى",
}

PLAN_STATUSES: dict[str, str] = ACTIVITY_STATUSES

# The OASIS levels of evaluation a plan item's measure of success belongs to ('' unset).
MEASURE_KINDS: dict[str, str] = {
    "output": "مخرجات (ما يُنتج ويُنشر)",
    "outtake": "أثر مباشر (ما يفهمه الجمهور ويتذكره)",
    "outcome": "نتائج (ما يتغير في السلوك أو الموقف)",
}

MONTH_STYLES: dict[str, str] = {"iraqi": "عراقية (كانون الثاني…)", "egyptian": "مصرية (يناير…)"}

DIGIT_STYLES: dict[str, str] = {"arabic": "هندية (١٢٣)", "western": "عربية (123)"}

RECORD_TYPES: dict[str, str] = {
    "activity": "نشاط",
    "person": "مشارك",
    "recommendation": "توصية",
    "coverage": "رصد إعلامي",
    "plan_item": "بند مخطط",
}
